package io.callcenter.dialer;

import io.callcenter.ops.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The dialer holds every campaign by itself while the database is away: nothing can be dialled without recording
 * it first. Ticks keep trying and the dialer resumes by itself; both moments are logged once. Lane only.
 */
final class OutageHold {

    private static final Logger log = LoggerFactory.getLogger(OutageHold.class);

    private final Clock clock;
    private String heldBecause;

    OutageHold(Clock clock) {
        this.clock = clock;
    }

    /** Runs one tick; a database outage holds the dialer instead of failing the tick, anything else fails it. */
    void run(Runnable tick) {
        try {
            tick.run();
            if (heldBecause != null) {
                log.warn("dialer resumed: the database answers again (held: {})", heldBecause);
                heldBecause = null;
            }
        } catch (RuntimeException e) {
            if (!DatabaseOutage.isOutage(e)) {
                throw e;
            }
            if (heldBecause == null) {
                heldBecause = "database unavailable since " + clock.instant() + " (" + e.getClass().getSimpleName() + ")";
                log.error("dialer paused: {}", heldBecause);
            }
        }
    }

    Optional<String> heldBecause() {
        return Optional.ofNullable(heldBecause);
    }
}
