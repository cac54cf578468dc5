package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Predictive mode's controller: the share of people it lets risk finding no agent (its aggressiveness, see
 * {@link PoissonLoss}), steered every interval by the abandon rate measured over the last few hundred calls answered by a person, toward a
 * set point below the campaign's target. The set point tightens as the current 30-day period's budget is spent, so a
 * bad morning is paid back by a careful afternoon rather than by a spoilt period. All rates are the guard's view:
 * the record's abandons plus the detection errors the record cannot see.
 */
final class AbandonSteering {

    /**
     * The set point, as a share of the target: the measured rate is an estimate and days differ. The record counts
     * more than the rule (hang-ups during detection from the answer, hang-ups inside the 2 s), so 80% of a 3% target
     * in this view kept the simulated true rate near 1.9% with no day over 3% (BENCHMARKS.md).
     */
    static final double SET_POINT = 0.8;
    /** The set point never drops below this share of the target. */
    static final double FLOOR = 0.35;
    /** How much the set point drops per point the period runs above it. */
    static final double TIGHTEN = 2.0;
    /** Calls answered by a person that the measured rate is taken over. */
    static final int RECENT = 400;
    static final int MIN_RECENT = 60;
    /** Bolder slowly, more careful quickly: a bad hour spoils a day's rate faster than a good one repairs it. */
    static final double GAIN = 0.01;
    static final double GAIN_DOWN = 0.04;
    static final double MIN = 0.0005;
    static final double MAX = 0.006;
    static final double START = 0.002;

    private record Point(long live, long abandoned) {
    }

    private final Duration interval;
    private final List<Point> points = new ArrayList<>();
    private double aggressiveness = START;
    private Instant last;

    AbandonSteering(Duration interval) {
        this.interval = interval;
    }

    /**
     * @param periodLive      calls answered by a person so far in the period (assumed detection errors included)
     * @param periodAbandoned of those, abandoned
     * @param target          the campaign's target abandon rate
     * @return the share of people allowed to find no agent
     */
    double steer(long periodLive, long periodAbandoned, double target, Instant now) {
        if (last != null && Duration.between(last, now).compareTo(interval) < 0) {
            return aggressiveness;
        }
        last = now;
        if (!points.isEmpty() && periodLive < points.getLast().live()) {
            points.clear();
        }
        points.addLast(new Point(periodLive, periodAbandoned));
        while (points.size() > 2 && periodLive - points.get(1).live() >= RECENT) {
            points.remove(0);
        }
        Point oldest = points.getFirst();
        long live = periodLive - oldest.live();
        long abandoned = periodAbandoned - oldest.abandoned();
        if (live < MIN_RECENT) {
            return aggressiveness;
        }
        double measured = (double) abandoned / live;
        double periodRate = periodLive == 0 ? 0 : (double) periodAbandoned / periodLive;
        double setPoint = setPoint(periodRate, target);
        double error = Math.max(-1, Math.min(1, (setPoint - measured) / setPoint));
        aggressiveness = Math.max(MIN, Math.min(MAX, aggressiveness * (1 + (error < 0 ? GAIN_DOWN : GAIN) * error)));
        return aggressiveness;
    }

    double aggressiveness() {
        return aggressiveness;
    }

    /** Below the target by a margin; lower the more the period has already spent. */
    static double setPoint(double periodRate, double target) {
        double base = target * SET_POINT;
        if (periodRate <= base) {
            return base;
        }
        return Math.max(target * FLOOR, base - (periodRate - base) * TIGHTEN);
    }
}
