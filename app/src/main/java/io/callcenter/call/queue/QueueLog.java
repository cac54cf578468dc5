package io.callcenter.call.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the append-only {@code queue_event} log. Each row carries the caller's wait at that moment, so service
 * level (answered within the threshold / offered), ASA (mean wait of answered), abandon rate and agent offers come
 * from this log alone.
 */
public record QueueLog(UUID queueId, UUID callId, Instant at, Type type, UUID agentId, Duration waited, Integer position,
                       String detail) {

    public enum Type {
        JOINED, OFFERED, RANG_OUT, ANSWERED, ABANDONED, TIMED_OUT, OVERFLOWED, ANNOUNCED,
        /** The caller was lost without hanging up (Asterisk or the app restarted): not an abandon. */
        LOST,
        /** The caller pressed 1 and confirmed their number (detail): a callback keeps their place. */
        CALLBACK_REQUESTED,
        /** The agent answered and the caller's number is dialled. */
        CALLBACK_PLACED,
        /** Refused by the outbound guard, or not answered (detail: the reason); the caller is not called again. */
        CALLBACK_FAILED,
        CALLBACK_ANSWERED,
        /** Turned away without joining (detail: full or no_agent, and where the caller went). */
        REFUSED;

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
