package io.callcenter.dialer.telnyx;

import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Webhooks stored before they are acknowledged and applied after: a crash between the two loses nothing, since
 * rows stay pending until applied. The applier is woken as soon as something arrives instead of polling hard.
 */
@Service
public class TelnyxInbox {

    private final TelnyxInboxRepository rows;
    private final Semaphore arrivals = new Semaphore(0);

    TelnyxInbox(TelnyxInboxRepository rows) {
        this.rows = rows;
    }

    boolean store(TelnyxEvent event, String body, Instant receivedAt) {
        boolean stored = rows.insert(event, body, receivedAt);
        arrivals.release();
        return stored;
    }

    /** Pending events received before {@code receivedBefore}, oldest occurrence first. */
    public List<TelnyxEvent> pending(Instant receivedBefore, int limit) {
        return rows.pending(receivedBefore, limit).stream().map(TelnyxInboxRepository.Pending::event).toList();
    }

    public void markApplied(TelnyxEvent event, Instant at, String failure) {
        rows.markApplied(event.eventId(), at, failure);
    }

    /** Waits until a webhook arrives or the timeout passes. */
    public void awaitArrival(Duration timeout) throws InterruptedException {
        if (arrivals.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            arrivals.drainPermits();
        }
    }
}
