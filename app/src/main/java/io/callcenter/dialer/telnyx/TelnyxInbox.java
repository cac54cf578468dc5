package io.callcenter.dialer.telnyx;

import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Webhooks stored before they are acknowledged and applied after: a crash between the two loses nothing, since
 * rows stay pending until applied. The applier is woken as soon as something arrives instead of polling hard.
 */
@Service
public class TelnyxInbox {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TelnyxInbox.class);

    private final TelnyxInboxRepository rows;
    private final java.util.concurrent.atomic.AtomicLong setAside = new java.util.concurrent.atomic.AtomicLong();
    private final Semaphore arrivals = new Semaphore(0);
    /**
     * The earliest receipt stored since the applier last looked, and the earliest newest-receipt of a call it had to
     * hold back then: the next call to become quiet is due one hold after the earlier of the two. Sleeping until one
     * hold after the newest receipt instead made a person whose verdict came first in a burst wait up to a whole
     * hold more, past the safe-harbor deadline (make bench-transfers, BENCHMARKS.md). The earliest, not the last
     * stored: webhooks of one group commit return in any order.
     */
    private final java.util.concurrent.atomic.AtomicReference<Instant> firstArrivalSinceLook =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile Instant earliestHeld;

    /** A batch is what queued during the previous commit, at most this many (a few KiB each). */
    static final int MAX_BATCH = 500;

    private final InboxWriter writer;

    TelnyxInbox(TelnyxInboxRepository rows, org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.rows = rows;
        // Longer than the pool's wait and a statement's limit together: a batch that cannot be stored fails first.
        this.writer = new InboxWriter(rows::insertAll, MAX_BATCH, Duration.ofSeconds(15));
        meters.ifAvailable(registry -> io.micrometer.core.instrument.Gauge.builder("callcenter.telnyx.inbox.set_aside",
                setAside, java.util.concurrent.atomic.AtomicLong::get)
                .description("Telnyx events set aside after failing to apply").register(registry));
    }

    /** Returns once the event is committed (with the others that arrived meanwhile): false if it was there before. */
    boolean store(TelnyxEvent event, String body, Instant receivedAt) {
        boolean stored = writer.store(event, body, receivedAt);
        firstArrivalSinceLook.accumulateAndGet(receivedAt, (first, other) -> first == null || other.isBefore(first) ? other : first);
        arrivals.release();
        return stored;
    }

    /**
     * Pending events, oldest occurrence first, of the calls that have been quiet since {@code quietSince}: a call
     * still receiving events waits, so a burst delivered out of order is applied in the order it happened.
     */
    public List<TelnyxEvent> pending(Instant quietSince, int limit) {
        // Cleared before the read: a webhook stored during it is counted again next time, never missed.
        firstArrivalSinceLook.set(null);
        List<TelnyxInboxRepository.Pending> pending = rows.pending(limit);
        Map<Object, Instant> lastArrival = new HashMap<>();
        for (TelnyxInboxRepository.Pending p : pending) {
            lastArrival.merge(callOf(p.event()), p.receivedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        earliestHeld = lastArrival.values().stream().filter(last -> last.isAfter(quietSince)).min(Instant::compareTo).orElse(null);
        return pending.stream().filter(p -> !lastArrival.get(callOf(p.event())).isAfter(quietSince))
                .map(TelnyxInboxRepository.Pending::event).toList();
    }

    private static Object callOf(TelnyxEvent event) {
        return event.attemptId() != null ? event.attemptId()
                : event.callControlId() != null ? event.callControlId() : event.eventId();
    }

    public void markApplied(TelnyxEvent event, Instant at, String failure) {
        rows.markApplied(event.eventId(), at, failure);
    }

    /** Events applied without failure, in one statement. */
    public void markAllApplied(List<TelnyxEvent> events, Instant at) {
        rows.markAllApplied(events.stream().map(TelnyxEvent::eventId).toList(), at);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        writer.stop();
    }

    /** Tries before an event that keeps failing is set aside, so one bad event cannot hold up the rest. */
    public static final int MAX_TRIES = 3;

    /** Counts a failed try; true when the event is now set aside (logged as an error, counted in a metric). */
    public boolean failed(TelnyxEvent event, Instant at, String failure) {
        int tries = rows.failed(event.eventId(), at, failure, MAX_TRIES);
        if (tries >= MAX_TRIES) {
            setAside.incrementAndGet();
            log.error("Telnyx event {} ({} for attempt {}) set aside after {} failed tries: {}; later events go on. "
                            + "It stays in telnyx_inbox (set_aside_at) for a look.", event.eventId(), event.type(),
                    event.attemptId(), tries, failure);
            return true;
        }
        log.warn("Telnyx event {} ({}) failed to apply (try {} of {}): {}", event.eventId(), event.type(), tries,
                MAX_TRIES, failure);
        return false;
    }

    /** Events set aside since this process started (the gauge callcenter.telnyx.inbox.set_aside). */
    public long setAsideCount() {
        return setAside.get();
    }

    /** Deletes applied events older than the retention; returns how many. */
    public int deleteAppliedBefore(Instant before) {
        return rows.deleteAppliedBefore(before);
    }

    /**
     * The receipt whose call is the next to become quiet, one hold after it: a call held back at the applier's last
     * look, or a webhook stored since; empty when neither (nothing is waiting to become due).
     */
    public java.util.Optional<Instant> nextDueArrival() {
        Instant held = earliestHeld;
        Instant first = firstArrivalSinceLook.get();
        if (held == null) {
            return java.util.Optional.ofNullable(first);
        }
        return java.util.Optional.of(first != null && first.isBefore(held) ? first : held);
    }

    /** Waits until a webhook arrives or the timeout passes. */
    public void awaitArrival(Duration timeout) throws InterruptedException {
        if (arrivals.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            arrivals.drainPermits();
        }
    }
}
