package io.callcenter.call.engine;

import io.callcenter.call.model.Call;
import io.callcenter.call.store.CallStore;
import io.callcenter.call.store.CallView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the API shows of each call in memory, taken on the call's lane after every step and before the step is
 * announced. A call's rows are written behind its steps (issue 14), so a screen that fetched a call from its row
 * right after being told of a change could read the step before, for seconds under load; served from here, the
 * answer is the call as it was announced or later. As wazo-calld serves calls from its own state, not from its
 * database. An ended call's view stays until its end is written, then its row answers (the same JSON: both are
 * rendered by {@link CallStore#view} from the same rows).
 *
 * <p>Each view is an immutable snapshot, so HTTP threads read it without touching the call, which only its lane may.
 */
public final class LiveViews {

    private static final Logger log = LoggerFactory.getLogger(LiveViews.class);

    /** Every transition of a call in memory, oldest first, and how many of the call's own it has taken. */
    private static final class History {
        final List<Call.Transition> all;
        int taken;

        History(List<Call.Transition> all) {
            this.all = new ArrayList<>(all);
        }
    }

    private final CallStore store;
    /** Read and changed on each call's lane only. */
    private final Map<UUID, History> histories = new ConcurrentHashMap<>();
    private final Map<UUID, CallView> views = new ConcurrentHashMap<>();

    LiveViews(CallStore store) {
        this.store = store;
    }

    /** A call another instance ran: its history so far is what that instance wrote; this one's steps follow. */
    void adopted(Call call) {
        histories.put(call.id, new History(store.savedTransitions(call.id)));
    }

    /** On the call's lane, after a step: its transitions since the last step join its history, and a view is taken. */
    void stepped(Call call) {
        History history = histories.computeIfAbsent(call.id, id -> new History(List.of()));
        // The newest transitions are the last ones not yet saved: a transition leaves that list only once written,
        // and it is written only after the step that made it.
        List<Call.Transition> unsaved = call.unsavedTransitions();
        int fresh = Math.min(call.transitionsMade() - history.taken, unsaved.size());
        history.all.addAll(unsaved.subList(unsaved.size() - fresh, unsaved.size()));
        history.taken = call.transitionsMade();
        try {
            views.put(call.id, store.view(call, List.copyOf(history.all)));
        } catch (RuntimeException e) {
            // Not served from memory then: its row answers, as before.
            views.remove(call.id);
            log.warn("call {}: could not render its view: {}", call.id, e.toString());
        }
    }

    /** The call ended: its last view is served until the returned notice, run once its end is written. */
    Runnable ended(Call call) {
        histories.remove(call.id);
        CallView last = views.get(call.id);
        return () -> views.remove(call.id, last);
    }

    /** Another instance runs the call now (this one gave up the floor): its row answers. */
    void forget(UUID callId) {
        histories.remove(callId);
        views.remove(callId);
    }

    /** The call if this instance runs it, or it ended here and its end is not written yet. */
    public Optional<CallView> view(UUID callId) {
        return Optional.ofNullable(views.get(callId));
    }

    public Collection<CallView> all() {
        return List.copyOf(views.values());
    }
}
