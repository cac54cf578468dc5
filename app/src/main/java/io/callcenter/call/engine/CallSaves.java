package io.callcenter.call.engine;

import io.callcenter.call.model.Call;
import io.callcenter.call.store.CallStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The engine's save step, surviving a database outage: a save that fails is retried, on the call's lane, until
 * the database takes it. Nothing is lost and nothing is reordered, because a call's transitions leave it only
 * once their transaction committed ({@link Call#transitionsSaved}): a later save writes the earlier ones first.
 *
 * <p>Why a retry of the failed save rather than a queue of writes: the call itself holds everything a save
 * writes (its present state, its legs and its unwritten transitions in order), so the call is its own
 * write-behind buffer, bounded by what the call did; a queue beside it would hold the same things twice and could
 * disagree with it. An ended call is kept here (not in the engine's live calls) until its last save went through.
 */
final class CallSaves {

    private static final Logger log = LoggerFactory.getLogger(CallSaves.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    /** Runs a task on a call's lane after a delay. */
    interface Later {
        void run(UUID callId, Duration after, Runnable task);
    }

    private final CallStore store;
    private final Later later;
    private final BiConsumer<UUID, Runnable> onLane;
    private final Map<UUID, Call> unsaved = new ConcurrentHashMap<>();

    CallSaves(CallStore store, Later later, BiConsumer<UUID, Runnable> onLane) {
        this.store = store;
        this.later = later;
        this.onLane = onLane;
    }

    /** On the call's lane: writes the call, or keeps it for a retry. True when it is in the database now. */
    boolean save(Call call) {
        List<Call.Transition> batch = call.unsavedTransitions();
        try {
            store.save(call);
        } catch (RuntimeException e) {
            if (unsaved.putIfAbsent(call.id, call) == null) {
                log.error("call {}: could not be saved ({}); kept in memory with {} unsaved transition(s), retrying "
                        + "until the database takes it", call.id, e.getMessage(), batch.size());
                retryLater(call.id, FIRST_RETRY);
            }
            return false;
        }
        call.transitionsSaved(batch.size());
        if (unsaved.remove(call.id) != null) {
            log.warn("call {}: saved after the database came back ({} transition(s) written in order)", call.id,
                    batch.size());
        }
        return true;
    }

    /** A call another instance runs now: a retry must not write its stale state over the other's. */
    void forget(UUID callId) {
        unsaved.remove(callId);
    }

    /** Calls waiting for the database, live or ended. */
    int waiting() {
        return unsaved.size();
    }

    private void retryLater(UUID callId, Duration after) {
        later.run(callId, after, () -> onLane.accept(callId, () -> {
            Call call = unsaved.get(callId);
            if (call != null && !save(call)) {
                Duration next = after.multipliedBy(2);
                retryLater(callId, next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next);
            }
        }));
    }
}
