package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;
import io.callcenter.ops.DatabaseOutage;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies the inbox's pending webhooks in order of occurrence on the dialer's lane, up to {@link #BATCH} in one
 * transaction (a burst costs a commit per batch, not per event). If a batch fails, its events are applied one by one
 * as if it had not been tried: an event that fails is counted and, after a few tries, set aside; until then the
 * later events of its attempt wait for it (their order matters), while other attempts' events go on. With the
 * database away nothing is counted: the whole batch waits.
 */
final class InboxDrain {

    private final Webhooks inbox;
    private final Clock clock;
    private final Duration hold;
    private final DialerLane lane;
    /**
     * Events per transaction: other lane work (a call's claim of its person, answered within 2 s) waits for a whole
     * batch, a few tens of milliseconds at this size.
     */
    static final int BATCH = 50;

    private final Consumer<TelnyxEvent> apply;
    private final Consumer<List<TelnyxEvent>> applyAll;

    /** @param applyAll applies events in one transaction, or throws with none applied (see DialerEngine.applyAll) */
    InboxDrain(Webhooks inbox, Clock clock, Duration hold, DialerLane lane, Consumer<TelnyxEvent> apply,
               Consumer<List<TelnyxEvent>> applyAll) {
        this.inbox = inbox;
        this.clock = clock;
        this.hold = hold;
        this.lane = lane;
        this.apply = apply;
        this.applyAll = applyAll;
    }

    /** Returns how many events were looked at. */
    int drain() {
        List<TelnyxEvent> pending = inbox.pending(clock.instant().minus(hold), 200);
        int from = 0;
        for (; from < pending.size(); from += BATCH) {
            List<TelnyxEvent> batch = pending.subList(from, Math.min(pending.size(), from + BATCH));
            if (onLane(() -> applyAll.accept(batch)) != null) {
                break;  // rolled back: this batch and the rest go one by one
            }
        }
        Set<Object> held = new HashSet<>();
        for (TelnyxEvent event : pending.subList(Math.min(from, pending.size()), pending.size())) {
            Object attempt = event.attemptId() != null ? event.attemptId() : event.eventId();
            if (held.contains(attempt)) {
                continue;
            }
            RuntimeException failure = onLane(() -> apply.accept(event));
            if (failure != null && !inbox.failed(event, clock.instant(), String.valueOf(failure))) {
                held.add(attempt);
            }
        }
        return pending.size();
    }

    /** Runs the work on the lane: null if it went through, its failure if not; a database outage is thrown. */
    private RuntimeException onLane(Runnable work) {
        try {
            lane.onLane(() -> {
                work.run();
                return null;
            });
            return null;
        } catch (RuntimeException e) {
            if (DatabaseOutage.isOutage(e)) {
                throw e;
            }
            return e;
        }
    }
}
