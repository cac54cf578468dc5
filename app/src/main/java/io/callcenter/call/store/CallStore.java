package io.callcenter.call.store;

import io.callcenter.call.model.Call;
import io.callcenter.call.recording.Recordings;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Persistence the call engine needs; {@link CallRepository} in production, an in-memory fake in unit tests. */
public interface CallStore {

    /**
     * On the call's lane: the call's rows as they are now and the given transitions (its unsaved ones not yet
     * handed to a write), as a write that no later change of the call alters. Null when it would write nothing the
     * last rendered write did not (no transition, no row changed).
     */
    Write render(Call call, List<Call.Transition> transitions);

    /** Writes in one transaction: never half a state change. Throws when the database did not take it. */
    void write(Write write);

    /** A rendered write of one call. */
    interface Write {
        /** How many of the call's transitions it writes. */
        int transitions();

        /** This write followed by a later one of the same call, as one: the later's rows, both's transitions. */
        Write then(Write later);
    }

    /**
     * On the call's lane: the call as the API shows it, from memory, exactly as its rows will read once written
     * ({@code history}: all its transitions, oldest first). Live calls are served from this, not from their rows,
     * which are written behind the call's steps.
     */
    CallView view(Call call, List<Call.Transition> history);

    /** The transitions of a call written so far, oldest first (an adopted call's history before this instance). */
    default List<Call.Transition> savedTransitions(UUID callId) {
        return List.of();
    }

    /** The call is no longer written from here (another instance runs it): what was rendered of it is forgotten. */
    default void forget(UUID callId) {
    }

    List<UUID> openCallIds();

    List<String> openLegChannelIds();

    Optional<Call> loadOpen(UUID id);

    void recordingStarted(UUID callId, String name, String format, java.time.Instant at);

    /** Completes the recording's row with what the file holds; {@code recovered}: found on disk, not reported. */
    void recordingFinished(String name, java.time.Instant at, Recordings.FileFacts facts, boolean recovered);
}
