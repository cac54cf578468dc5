package io.callcenter.call.store;

import io.callcenter.call.model.Call;
import io.callcenter.call.recording.Recordings;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Persistence the call engine needs; {@link CallRepository} in production, an in-memory fake in unit tests. */
public interface CallStore {

    void save(Call call);

    List<UUID> openCallIds();

    List<String> openLegChannelIds();

    Optional<Call> loadOpen(UUID id);

    void recordingStarted(UUID callId, String name, String format, java.time.Instant at);

    /** Completes the recording's row with what the file holds; {@code recovered}: found on disk, not reported. */
    void recordingFinished(String name, java.time.Instant at, Recordings.FileFacts facts, boolean recovered);
}
