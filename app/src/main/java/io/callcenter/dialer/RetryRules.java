package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether and when a lead is dialled again after an attempt: never beyond {@code maxAttempts}, never sooner than
 * {@code minGap}, and only after outcomes listed in {@code retryAfter} (each with its own wait, e.g. a day for a
 * voicemail, 72 hours after an abandon as Ofcom asks), and no more than {@code maxAttemptsAfter} of that outcome
 * allows (a busy line may be worth eight tries where an unanswered one is worth three). A lead whose outcome's maximum
 * is reached closes with that reason.
 */
public record RetryRules(int maxAttempts, Duration minGap, Map<Outcome, Duration> retryAfter,
                         Map<Outcome, Integer> maxAttemptsAfter) {

    /** The outcomes a campaign may cap on their own: no answer, busy, a machine, a failed dial. */
    public static final Set<Outcome> CAPPED = EnumSet.of(Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL,
            Outcome.DISCONNECTED);

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
        for (Map.Entry<Outcome, Integer> cap : maxAttemptsAfter.entrySet()) {
            if (!CAPPED.contains(cap.getKey())) {
                throw new IllegalArgumentException("maxAttemptsByOutcome: " + cap.getKey()
                        + " has no maximum of its own; only NO_ANSWER, BUSY, VOICEMAIL (MACHINE) and DISCONNECTED (FAILED)");
            }
            if (cap.getValue() == null || cap.getValue() < 1 || cap.getValue() > maxAttempts) {
                throw new IllegalArgumentException("maxAttemptsByOutcome: " + cap.getKey() + " must be between 1 and "
                        + "maxAttempts (" + maxAttempts + "), not " + cap.getValue());
            }
        }
        maxAttemptsAfter = maxAttemptsAfter.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(maxAttemptsAfter));
    }

    public RetryRules(int maxAttempts, Duration minGap, Map<Outcome, Duration> retryAfter) {
        this(maxAttempts, minGap, retryAfter, Map.of());
    }

    /** The most attempts a lead gets while its attempts end with {@code outcome}. */
    public int maxAttempts(Outcome outcome) {
        return maxAttemptsAfter.getOrDefault(outcome, maxAttempts);
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
        if (wait == null || attemptsSoFar >= maxAttempts(outcome)) {
            return Optional.empty();
        }
        return Optional.of(endedAt.plus(wait.compareTo(minGap) > 0 ? wait : minGap));
    }

    /**
     * Why the lead closes after this attempt when the outcome would be tried again but its maximum is reached; empty
     * when it is tried again, or closes for the outcome itself (a sale, a refusal, an outcome never retried).
     */
    public Optional<String> closedReason(int attemptsSoFar, Outcome outcome) {
        if (outcome == Outcome.CALLBACK || !retryAfter.containsKey(outcome) || attemptsSoFar < maxAttempts(outcome)) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT, "%s: %d of at most %d attempts%s", outcome,
                attemptsSoFar, maxAttempts(outcome), maxAttemptsAfter.containsKey(outcome) ? " for " + outcome : ""));
    }
}
