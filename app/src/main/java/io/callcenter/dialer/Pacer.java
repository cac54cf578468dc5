package io.callcenter.dialer;

/**
 * How many calls to start. Fixed ratios keep {@code ceil(ratio x available agents)} calls in flight. The adaptive
 * mode follows VICIdial's idea: every interval it moves the ratio by what it measured, between 1.0 and 3.0, and backs
 * off hard as soon as the abandon rate (abandons over answered-by-human calls) is above the target, because a 30-day
 * rate, once spoilt, takes days of careful dialling to repair.
 */
public final class Pacer {

    public static final double MIN_RATIO = 1.0;
    public static final double MAX_RATIO = 3.0;
    /** Adaptive aims below the legal target: the rate measured so far is an estimate and the future is noisy. */
    static final double HEADROOM = 0.6;
    /** Above this share of the target the ratio drops to 1.0: clusters of abandons come faster than steps can react. */
    static final double HARD_LIMIT = 0.8;

    private Pacer() {
    }

    /** New dials now: enough to make {@code ratio x availableAgents} calls in flight. */
    public static int dialsToStart(double ratio, int availableAgents, int inFlight) {
        return dialsToStart(ratio, (double) availableAgents, inFlight);
    }

    /** The same for agents counted with the chance of being free (predictive mode). */
    static int dialsToStart(double ratio, double availableAgents, int inFlight) {
        if (availableAgents <= 0) {
            return 0;
        }
        return Math.max(0, (int) Math.ceil(ratio * availableAgents - 1e-9) - inFlight);
    }

    /**
     * What adaptive mode measured since the last adjustment and over the compliance window.
     *
     * @param windowHumans      calls answered by a person in the compliance window (30 days)
     * @param windowAbandons    of those, abandoned (no agent within 2 s)
     * @param intervalHumans    answered by a person during the last interval
     * @param intervalAbandons  abandoned during the last interval
     * @param idleAgentFraction share of the staffed agent time in the interval spent waiting for a call (0..1)
     */
    public record Measurement(long windowHumans, long windowAbandons, int intervalHumans, int intervalAbandons,
                              double idleAgentFraction) {

        double windowRate() {
            return windowHumans == 0 ? 0 : (double) windowAbandons / windowHumans;
        }
    }

    /** The adaptive ratio for the next interval. */
    public static double adapt(double ratio, Measurement m, double targetAbandonRate) {
        double windowRate = m.windowRate();
        double intervalRate = m.intervalHumans() == 0 ? (m.intervalAbandons() > 0 ? 1 : 0)
                : (double) m.intervalAbandons() / m.intervalHumans();
        double next;
        if (windowRate > targetAbandonRate * HARD_LIMIT) {
            next = MIN_RATIO;
        } else if (windowRate > targetAbandonRate * HEADROOM) {
            // Little budget left: give back on any abandon, creep up only while nothing is lost.
            next = m.intervalAbandons() > 0 ? ratio - 0.3
                    : m.idleAgentFraction() > 0.3 ? ratio + 0.05 : ratio;
        } else if (intervalRate > targetAbandonRate) {
            next = ratio - 0.1;
        } else if (m.idleAgentFraction() > 0.05) {
            // Idle agents are what dialling harder buys back; a step in proportion keeps the approach smooth.
            next = ratio + Math.min(0.2, m.idleAgentFraction() * 0.5);
        } else {
            next = ratio;
        }
        return clamp(next);
    }

    public static double clamp(double ratio) {
        return Math.max(MIN_RATIO, Math.min(MAX_RATIO, Math.round(ratio * 100) / 100.0));
    }
}
