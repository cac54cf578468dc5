package io.callcenter.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Once a connection could not be had, the database is known to be away: for a short period every caller is told
 * so at once ({@link DatabaseUnavailable}) instead of each waiting the pool's timeout in turn (a call's lane doing
 * several reads would wait for each). After the period one caller at a time is let through as a probe; its
 * success closes the breaker for everyone, its failure opens it for another period.
 */
public final class DatabaseBreaker {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBreaker.class);

    private final Clock clock;
    private final Duration openFor;
    private Instant downSince;
    private Instant openUntil;
    private boolean probing;
    private Instant lastAnswered;

    /**
     * A pool that handed out a connection this recently is busy, not cut off: 200 agents clicking to dial within one
     * second made callers wait out the pool's timeout while its connections were all in use and answering, and that
     * wait, read as an outage, failed every caller of the app for the breaker's period.
     */
    static final Duration BUSY_NOT_AWAY = Duration.ofMillis(500);

    public DatabaseBreaker(Clock clock, Duration openFor) {
        this.clock = clock;
        this.openFor = openFor;
    }

    /**
     * Whether the caller may try the database now; when true, the caller must report {@link #succeeded()} or
     * {@link #failed()} (the one probe of an open breaker is only freed by its report).
     */
    public synchronized boolean admit() {
        if (downSince == null) {
            return true;
        }
        if (probing || clock.instant().isBefore(openUntil)) {
            return false;
        }
        probing = true;
        return true;
    }

    public synchronized void succeeded() {
        probing = false;
        lastAnswered = clock.instant();
        if (downSince != null) {
            log.warn("database answers again after {} ms", Duration.between(downSince, clock.instant()).toMillis());
            downSince = null;
            openUntil = null;
        }
    }

    /** A connection could not be had because the database is away (not a bad statement). */
    public synchronized void failed() {
        probing = false;
        Instant now = clock.instant();
        if (downSince == null) {
            downSince = now;
            log.error("database unavailable: callers fail fast for {} ms at a time until a probe gets through",
                    openFor.toMillis());
        }
        openUntil = now.plus(openFor);
    }

    /** A probe that ended in an error which says nothing about the database being there frees the probe slot. */
    public synchronized void inconclusive() {
        probing = false;
    }

    /** Whether a connection was had within {@link #BUSY_NOT_AWAY}: a wait that timed out then is the pool's load. */
    public synchronized boolean answeredJustNow() {
        return lastAnswered != null && clock.instant().isBefore(lastAnswered.plus(BUSY_NOT_AWAY));
    }

    /** When the database was found away; null while it answers. */
    public synchronized Instant downSince() {
        return downSince;
    }
}
