package io.callcenter.call.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a waiting caller's 1 means: the first asks for a callback (their number is read back), the next confirms it;
 * the same press reported twice counts once.
 */
final class CallbackKeys {

    enum Meaning { ASK, CONFIRM, REPEAT }

    /**
     * A confirming 1 this soon after the first is the same key press reported twice (measured in QueueCallbackIT: one
     * RFC 4733 digit to a caller in the holding bridge arrived as two DTMF events within 0.4 s); nobody hears their
     * number read back in under a second.
     */
    private static final Duration SAME_KEY_PRESS = Duration.ofSeconds(1);

    /** Callers who pressed 1 (when) and hear their number read back: a later 1 confirms the callback. */
    private final Map<UUID, Instant> confirming = new ConcurrentHashMap<>();

    Meaning pressed(UUID callId, Instant at) {
        Instant asked = confirming.get(callId);
        if (asked == null) {
            return Meaning.ASK;
        }
        if (at.isBefore(asked.plus(SAME_KEY_PRESS))) {
            return Meaning.REPEAT;
        }
        confirming.remove(callId);
        return Meaning.CONFIRM;
    }

    void readingBack(UUID callId, Instant at) {
        confirming.put(callId, at);
    }

    void forget(UUID callId) {
        confirming.remove(callId);
    }
}
