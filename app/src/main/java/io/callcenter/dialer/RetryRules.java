package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether and when a lead is dialled again after an attempt: never beyond {@code maxAttempts}, never sooner than
 * {@code minGap}, and only after outcomes listed in {@code retryAfter} (each with its own wait, e.g. a day for a
 * voicemail, 72 hours after an abandon as Ofcom asks).
 */
public record RetryRules(int maxAttempts, Duration minGap, Map<Outcome, Duration> retryAfter) {

    public static final RetryRules DEFAULT = new RetryRules(3, Duration.ofHours(1), Map.of(
            Outcome.NO_ANSWER, Duration.ofHours(1), Outcome.BUSY, Duration.ofMinutes(15),
            Outcome.VOICEMAIL, Duration.ofHours(4), Outcome.ABANDONED, Duration.ofHours(72)));

    public RetryRules {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 20");
        }
        if (minGap.isNegative()) {
            throw new IllegalArgumentException("minRetryGap must not be negative");
        }
        retryAfter = retryAfter.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(retryAfter));
    }

    /** A CALLBACK without a time of its own is tried again this long after, unless the campaign sets its own wait. */
    public static final Duration CALLBACK_WAIT = Duration.ofHours(24);

    /**
     * When the lead may be dialled next; empty when it is done. A CALLBACK never closes a lead, whatever the number
     * of attempts: the person asked to be called (a scheduled time, when given, replaces this one).
     */
    public Optional<Instant> next(int attemptsSoFar, Outcome outcome, Instant endedAt) {
        if (outcome == Outcome.CALLBACK) {
            Duration wait = retryAfter.getOrDefault(Outcome.CALLBACK, CALLBACK_WAIT);
            return Optional.of(endedAt.plus(wait.compareTo(minGap) > 0 ? wait : minGap));
        }
        Duration wait = retryAfter.get(outcome);
        if (wait == null || attemptsSoFar >= maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(endedAt.plus(wait.compareTo(minGap) > 0 ? wait : minGap));
    }
}
