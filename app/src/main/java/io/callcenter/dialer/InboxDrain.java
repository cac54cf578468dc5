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
 * Applies the inbox's pending webhooks in order of occurrence, each on the dialer's lane. An event that fails is
 * counted and, after a few tries, set aside; until then the later events of its attempt wait for it (their order
 * matters), while other attempts' events go on. With the database away nothing is counted: the whole batch waits.
 */
final class InboxDrain {

    private final Webhooks inbox;
    private final Clock clock;
    private final Duration hold;
    private final DialerLane lane;
    private final Consumer<TelnyxEvent> apply;

    InboxDrain(Webhooks inbox, Clock clock, Duration hold, DialerLane lane, Consumer<TelnyxEvent> apply) {
        this.inbox = inbox;
        this.clock = clock;
        this.hold = hold;
        this.lane = lane;
        this.apply = apply;
    }

    /** Returns how many events were looked at. */
    int drain() {
        List<TelnyxEvent> pending = inbox.pending(clock.instant().minus(hold), 200);
        Set<Object> held = new HashSet<>();
        for (TelnyxEvent event : pending) {
            Object attempt = event.attemptId() != null ? event.attemptId() : event.eventId();
            if (held.contains(attempt)) {
                continue;
            }
            try {
                lane.onLane(() -> {
                    apply.accept(event);
                    return null;
                });
            } catch (RuntimeException e) {
                if (DatabaseOutage.isOutage(e)) {
                    throw e;
                }
                if (!inbox.failed(event, clock.instant(), String.valueOf(e))) {
                    held.add(attempt);
                }
            }
        }
        return pending.size();
    }
}
