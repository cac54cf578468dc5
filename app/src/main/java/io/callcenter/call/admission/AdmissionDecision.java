package io.callcenter.call.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a new call may be connected: the present (when the platform was last found unhealthy, and why) and what is
 * measured now give the verdict and the next present. Pure: no clock, no meters, so every rule is a unit test.
 *
 * <p>Two kinds of signal. The call count against the configured limit is exact and immediate: one call ends, the
 * next is admitted. The health signals (Asterisk's ARI answering with errors or slowly, the call lanes backing up)
 * are symptoms that lag behind the load that caused them, so once one trips the platform stays closed for
 * {@code coolDown} after it last tripped: reopening the moment the queue drains would let the same burst in again
 * (the 250-call run: recordings refused while the calls kept coming).
 */
public final class AdmissionDecision {

    /** Zero switches a limit off. */
    public record Limits(int maxCalls, int maxQueuedLaneTasks, int minAriRequests, double maxAriErrorRatio,
                         Duration maxAriMeanLatency, Duration coolDown, Duration retryAfterAtLimit) {
    }

    /** What is measured now; the ARI figures are over the last window ({@link AriHealthWindow}). */
    public record Signals(int activeCalls, int queuedLaneTasks, long ariRequests, long ariErrors,
                          Duration ariMeanLatency) {
    }

    /** Since when the platform is unhealthy and why; {@link #HEALTHY} when no health signal tripped lately. */
    public record Present(Instant closedUntil, String reason) {
        public static final Present HEALTHY = new Present(null, null);
    }

    /** An admission refused: a short reason (metric label, problem detail) and when to try again. */
    public record Refusal(String reason, String detail, Duration retryAfter) {
    }

    public record Outcome(Present next, Optional<Refusal> refusal) {
        public boolean admitted() {
            return refusal.isEmpty();
        }
    }

    private AdmissionDecision() {
    }

    public static Outcome decide(Present present, Signals now, Limits limits, Instant at) {
        Optional<Refusal> tripped = unhealthy(now, limits);
        Present next = present;
        if (tripped.isPresent()) {
            next = new Present(at.plus(limits.coolDown()), tripped.get().reason());
            return new Outcome(next, Optional.of(withRetry(tripped.get(), limits.coolDown())));
        }
        if (present.closedUntil() != null) {
            if (at.isBefore(present.closedUntil())) {
                return new Outcome(present, Optional.of(new Refusal(present.reason(),
                        "recovering from " + present.reason() + ": closed until " + present.closedUntil(),
                        Duration.between(at, present.closedUntil()))));
            }
            next = Present.HEALTHY;
        }
        if (limits.maxCalls() > 0 && now.activeCalls() >= limits.maxCalls()) {
            return new Outcome(next, Optional.of(new Refusal("calls-at-limit",
                    now.activeCalls() + " calls in progress, the limit is " + limits.maxCalls(),
                    limits.retryAfterAtLimit())));
        }
        return new Outcome(next, Optional.empty());
    }

    /** Room for how many more calls under the call limit alone ({@code Integer.MAX_VALUE} without one). */
    public static int headroom(Signals now, Limits limits) {
        return limits.maxCalls() <= 0 ? Integer.MAX_VALUE : Math.max(0, limits.maxCalls() - now.activeCalls());
    }

    private static Optional<Refusal> unhealthy(Signals now, Limits limits) {
        if (limits.maxQueuedLaneTasks() > 0 && now.queuedLaneTasks() >= limits.maxQueuedLaneTasks()) {
            return Optional.of(new Refusal("lanes-backlogged", now.queuedLaneTasks()
                    + " call tasks waiting in their lanes, the limit is " + limits.maxQueuedLaneTasks(), null));
        }
        if (now.ariRequests() < Math.max(1, limits.minAriRequests())) {
            return Optional.empty();
        }
        if (limits.maxAriErrorRatio() > 0 && now.ariErrors() >= limits.maxAriErrorRatio() * now.ariRequests()) {
            return Optional.of(new Refusal("asterisk-errors", now.ariErrors() + " of " + now.ariRequests()
                    + " ARI requests failed lately", null));
        }
        if (limits.maxAriMeanLatency() != null && !limits.maxAriMeanLatency().isZero()
                && now.ariMeanLatency().compareTo(limits.maxAriMeanLatency()) >= 0) {
            return Optional.of(new Refusal("asterisk-slow", "ARI requests took " + now.ariMeanLatency().toMillis()
                    + " ms on average lately", null));
        }
        return Optional.empty();
    }

    private static Refusal withRetry(Refusal refusal, Duration retryAfter) {
        return new Refusal(refusal.reason(), refusal.detail(), retryAfter);
    }
}
