package io.callcenter.call.engine;

import io.callcenter.call.model.Call;
import io.callcenter.call.recording.Recordings;
import io.callcenter.call.store.CallStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store as the recorder sees it: a recording's row names its call, so it is written by the call's writer after
 * the call's own rows ({@link CallSaves#ordered}); written at once when nothing of the call waits.
 */
final class OrderedRecordingRows implements CallStore {

    private final CallStore store;
    private final CallSaves saves;

    OrderedRecordingRows(CallStore store, CallSaves saves) {
        this.store = store;
        this.saves = saves;
    }

    @Override
    public void recordingStarted(UUID callId, String name, String format, Instant at) {
        saves.ordered(callId, () -> store.recordingStarted(callId, name, format, at));
    }

    @Override
    public void recordingFinished(String name, Instant at, Recordings.FileFacts facts, boolean recovered) {
        Optional<UUID> callId = Recordings.callIdOf(name);
        if (callId.isEmpty()) {
            store.recordingFinished(name, at, facts, recovered);
            return;
        }
        saves.ordered(callId.get(), () -> store.recordingFinished(name, at, facts, recovered));
    }

    @Override
    public Write render(Call call, List<Call.Transition> transitions) {
        return store.render(call, transitions);
    }

    @Override
    public io.callcenter.call.store.CallView view(Call call, List<Call.Transition> history) {
        return store.view(call, history);
    }

    @Override
    public void write(Write write) {
        store.write(write);
    }

    @Override
    public void forget(UUID callId) {
        store.forget(callId);
    }

    @Override
    public List<UUID> openCallIds() {
        return store.openCallIds();
    }

    @Override
    public List<String> openLegChannelIds() {
        return store.openLegChannelIds();
    }

    @Override
    public Optional<Call> loadOpen(UUID id) {
        return store.loadOpen(id);
    }
}
