package io.callcenter.dialer;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The carrier's call control as the dialer uses it, in the dialer's own terms ({@code telnyx.TelnyxClient} speaks
 * Telnyx's API behind it). Every command is keyed by the attempt, so the carrier can recognise a repeat.
 */
public interface CallControl {

    /**
     * @param afterGreetingSilenceMillis the silence after a greeting detection waits for before deciding, which the
     *                                   TSR's 2-second clock is placed by; premium does not take it (it accepts only
     *                                   total_analysis_time_millis and greeting_duration_millis), the other modes do
     */
    /**
     * @param timeLimitSeconds the carrier's cap on the call's length, set explicitly so it is ours and not a default
     */
    record Dial(UUID attemptId, String from, String to, String answeringMachineDetection, int afterGreetingSilenceMillis,
                long timeLimitSeconds) {
    }

    /** What a refusal means for the dialer: who is at fault decides whether the lead or the campaign pays. */
    enum Fault {
        /** Our account or configuration (API key, caller ID not owned, connection missing): the campaign pauses. */
        ACCOUNT,
        /** The called number itself is invalid or inactive: the lead is closed as disconnected. */
        NUMBER,
        /** Too many requests: wait until {@link Refused#retryAt()}; never the lead's fault. */
        RATE_LIMITED,
        /** The carrier could not be reached or kept failing: try again later. */
        UNAVAILABLE
    }

    /** A command the carrier refused for good or that kept failing. */
    class Refused extends RuntimeException {
        private final int status;
        private final Fault fault;
        private final Instant retryAt;

        public Refused(int status, Fault fault, Instant retryAt, String message) {
            super(message);
            this.status = status;
            this.fault = fault;
            this.retryAt = retryAt;
        }

        /** The HTTP status; 0 when the carrier could not be reached. */
        public int status() {
            return status;
        }

        public Fault fault() {
            return fault;
        }

        /** When a rate-limited command may be sent again (null: not rate-limited). */
        public Instant retryAt() {
            return retryAt;
        }
    }

    /** Places the call; returns the carrier's id of the call. */
    String dial(Dial dial);

    /** Sends the answered person to our Asterisk; the new leg's events carry the attempt too. */
    void transfer(String callControlId, UUID attemptId);

    void hangup(String callControlId, UUID attemptId);

    /**
     * Reads a message into the call.
     *
     * @param take 1 for the first reading, 2 for a repeat: a repeat must not look like a duplicate to the carrier
     */
    void speak(String callControlId, UUID attemptId, String text, int take);

    /** Whether the call is still up, as the carrier sees it; empty when it could not tell. */
    Optional<Boolean> alive(String callControlId);
}
