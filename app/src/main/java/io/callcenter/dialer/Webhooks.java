package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;

import java.time.Instant;
import java.util.List;

/** The webhooks waiting to be applied, as the engine uses them: the Telnyx inbox behind a narrow port. */
interface Webhooks {

    /** Pending events, oldest occurrence first, of the calls quiet since {@code quietSince}. */
    List<TelnyxEvent> pending(Instant quietSince, int limit);

    void markApplied(TelnyxEvent event, Instant at, String failure);

    /**
     * A batch's events applied without failure, stored in the batch's transaction: the inbox does it in one
     * statement (an UPDATE per event was a round trip per webhook on the dialer's lane).
     */
    default void markAllApplied(List<TelnyxEvent> events, Instant at) {
        events.forEach(event -> markApplied(event, at, null));
    }

    /**
     * The event could not be applied (not a refusal by the attempt's machine: an error). Counted; after a few tries
     * it is set aside, no longer pending, so later events go on. True when this try set it aside.
     */
    boolean failed(TelnyxEvent event, Instant at, String failure);
}
