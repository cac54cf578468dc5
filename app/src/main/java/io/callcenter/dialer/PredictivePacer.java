package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Predictive dialling (VICIdial's idea): dial for the agents expected to be free by the time a person dialled now
 * could first reach one, not only for those free already. An agent wrapping up counts with the chance that the
 * wrap-up ends within the horizon given how long it has lasted, read from the team's own recent wrap-ups; the horizon
 * is the time to a person's verdict of the fastest tenth of recent dials, so a person from a dial placed now almost
 * never arrives before the agent it was placed for. Talk time is not predicted: its end is nearly memoryless (a call
 * that has lasted long is as likely to go on), so an agent on a call counts for nothing. Dials follow the guard's
 * ratio, applied to free and expected-free agents alike.
 *
 * <p>Learns the wrap-up times itself from successive snapshots (an agent wrapping up in one and available in the
 * next has finished), so the same code runs in the engine and in the pacing simulation with nothing but what the
 * agents' states show. One caller at a time, like {@link PacingController}.
 */
final class PredictivePacer {

    /** Wrap-ups remembered: about a day of a small team's calls, so the distribution follows the team. */
    static final int SAMPLES = 300;
    /** Below these, the pacer predicts nothing and dials only for free agents. */
    static final int MIN_SAMPLES = 20;
    static final int MIN_DIALS = 30;

    /**
     * What the team and the campaign's recent dials show now.
     *
     * @param available       agents free now
     * @param waiting         people waiting for an agent now
     * @param inFlight        dials not yet resolved
     * @param busySince       agents wrapping up, with when their wrap-up began
     * @param availableAgents who is free now (to tell a finished handle from an agent gone on break)
     * @param yield           the campaign's recent dials
     */
    record Team(int available, int waiting, int inFlight, Map<UUID, Instant> busySince, Set<UUID> availableAgents,
                Yield yield) {
    }

    /**
     * Dials resolved recently (a person reached detection's verdict for an agent, or the dial ended without one).
     *
     * @param dials           resolved dials
     * @param people          of those, people (or machine results sent to agents) that needed an agent
     * @param secondsToPerson seconds from the dial to that verdict of the fastest tenth of those people
     */
    record Yield(long dials, long people, double secondsToPerson) {
        static final Yield NONE = new Yield(0, 0, 15);

        double perDial() {
            return dials == 0 ? 0 : (double) people / dials;
        }
    }

    /** What the pacer expects: agents free at the horizon (free now included) and the dials to start now. */
    record Forecast(double expectedFree, int dialsToStart, boolean predicting) {
    }

    private static final class Memory {
        final Map<UUID, Instant> handleStart = new HashMap<>();
        final Deque<Double> samples = new ArrayDeque<>();
    }

    private final Map<UUID, Memory> memories = new HashMap<>();

    /**
     * @param ratio the guard's ratio in force (1.0 to 3.0); at 1.0 (its hard back-off) nobody busy is counted
     */
    Forecast forecast(UUID campaignId, Team team, double ratio, Instant now) {
        Memory memory = memories.computeIfAbsent(campaignId, id -> new Memory());
        learn(memory, team, now);
        int free = Math.max(0, team.available() - team.waiting());
        double perDial = team.yield().perDial();
        boolean predicting = memory.samples.size() >= MIN_SAMPLES && team.yield().dials() >= MIN_DIALS && perDial > 0
                && ratio > Pacer.MIN_RATIO;
        if (!predicting) {
            return new Forecast(free, Pacer.dialsToStart(ratio, free, team.inFlight()), false);
        }
        double[] sorted = memory.samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double horizon = team.yield().secondsToPerson();
        double expected = free;
        for (Instant since : memory.handleStart.values()) {
            double elapsed = Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
            expected += endsWithin(sorted, elapsed, horizon);
        }
        return new Forecast(expected, Pacer.dialsToStart(ratio, expected, team.inFlight()), true);
    }

    void forget(UUID campaignId) {
        memories.remove(campaignId);
    }

    /** Handle times seen so far for the campaign's team, for tests and the console. */
    int samples(UUID campaignId) {
        Memory memory = memories.get(campaignId);
        return memory == null ? 0 : memory.samples.size();
    }

    /**
     * The chance that a handle which has lasted {@code elapsed} seconds ends within {@code horizon} more: of the
     * handles seen that lasted longer than {@code elapsed}, the share that ended by {@code elapsed + horizon}. A handle
     * longer than any seen counts for nothing.
     */
    static double endsWithin(double[] sorted, double elapsed, double horizon) {
        int longer = sorted.length - upperBound(sorted, elapsed);
        if (longer == 0) {
            return 0;
        }
        int stillLonger = sorted.length - upperBound(sorted, elapsed + horizon);
        return (double) (longer - stillLonger) / longer;
    }

    private static int upperBound(double[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == value) {
            i++;
        }
        return i;
    }

    private static void learn(Memory memory, Team team, Instant now) {
        for (var it = memory.handleStart.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (team.busySince().containsKey(entry.getKey())) {
                continue;
            }
            it.remove();
            if (team.availableAgents().contains(entry.getKey())) {
                memory.samples.addLast(Duration.between(entry.getValue(), now).toMillis() / 1000.0);
                if (memory.samples.size() > SAMPLES) {
                    memory.samples.removeFirst();
                }
            }
        }
        team.busySince().forEach(memory.handleStart::putIfAbsent);
    }
}
