package io.callcenter.dialer;

import java.util.HashMap;
import java.util.Map;

/**
 * How many people to bring for {@code c} free agents when a person finding none is lost (the 2-second rule leaves
 * no queue): people from many dials, each answered with a small chance, arrive as a Poisson number, and of a mean of
 * {@code m} arriving the expected share lost is {@code E[(N - c)+] / m}. The largest {@code m} whose lost share stays
 * within {@code loss} grows faster than {@code c} (Erlang's pooling): one free agent can be given a few tenths of a
 * person, ten free agents several people, so dialling ahead is bold for a large free pool and careful for one agent.
 */
final class PoissonLoss {

    private static final int MAX_AGENTS = 400;
    private final Map<Long, Double> cache = new HashMap<>();

    /** Expected people to aim for with {@code agents} (fractional: expected) free agents and the lost share allowed. */
    double people(double agents, double loss) {
        if (agents <= 0) {
            return 0;
        }
        double c = Math.min(agents, MAX_AGENTS);
        int below = (int) Math.floor(c);
        double low = cached(below, loss);
        if (below == c) {
            return low;
        }
        double high = cached(below + 1, loss);
        return low + (high - low) * (c - below);
    }

    private double cached(int agents, double loss) {
        long lossKey = Math.round(loss * 10_000);
        return cache.computeIfAbsent(agents * 100_000L + lossKey, k -> solve(agents, lossKey / 10_000.0));
    }

    /** The largest mean with {@link #lostShare} within {@code loss}, by bisection (the share grows with the mean). */
    static double solve(int agents, double loss) {
        if (agents == 0) {
            return 0;
        }
        double low = 0, high = agents * 4.0 + 10;
        for (int i = 0; i < 50; i++) {
            double mid = (low + high) / 2;
            if (lostShare(mid, agents) <= loss) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** {@code E[(N - c)+] / m} for N Poisson with mean m: {@code (m - E[min(N, c)]) / m}. */
    static double lostShare(double mean, int agents) {
        if (mean <= 0) {
            return 0;
        }
        double p = Math.exp(-mean);
        double taken = 0;
        double atMostC = 0;
        for (int n = 0; n < agents; n++) {
            taken += n * p;
            atMostC += p;
            p *= mean / (n + 1);
        }
        // N >= c takes all c agents.
        taken += agents * (1 - atMostC);
        return Math.max(0, (mean - taken) / mean);
    }
}
