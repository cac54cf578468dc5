package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Predictive dialling: as many dials as bring the people the team can take when they arrive. The team it can take is
 * the free agents plus each busy one counted with the chance of being free before the earliest a person dialled now
 * arrives, given how long its call or wrap-up has lasted ({@link HandleTimes}); the people are those still expected
 * from the dials in flight plus what a new dial brings ({@link DialYield}), both learned per campaign from the
 * snapshots alone, so the engine and the pacing simulation run the same code. How many people to aim for follows
 * Erlang's pooling ({@link PoissonLoss}): the 2-second rule leaves no queue, so a person finding no agent is lost, and
 * the share allowed lost is steered by the measured abandon rate ({@link AbandonSteering}). The guard's hard back-off
 * (ratio 1.0) stops the prediction and dials one call per free agent.
 *
 * <p>One caller at a time, like {@link PacingController}.
 */
final class PredictivePacer {

    /** The horizon: the time to the verdict of this quantile of recent people, the earliest a new dial's person arrives. */
    static final double HORIZON_QUANTILE = 0.1;
    /**
     * People aimed for never exceed this share of the agents expected free. Pooling alone would aim a large free pool
     * at nearly one person per agent, but the answer rate is learnt from past dials: when it jumps (the 15-minute drift
     * of the simulation, an evening in life) a large pipeline brings far more than Poisson's spread.
     */
    static final double MAX_PEOPLE_PER_AGENT = 0.4;

    /**
     * What the team and the campaign's dials show now.
     *
     * @param available agents free now
     * @param waiting   people waiting for an agent now
     * @param inFlight  dials not yet resolved
     * @param agents    every agent of the team with its state and since when (empty: predict nothing)
     * @param dials     the campaign's open dials, and those resolved since the last snapshot
     */
    record Team(int available, int waiting, int inFlight, List<HandleTimes.AgentNow> agents,
                List<DialYield.DialNow> dials) {

        static Team counting(int available, int waiting, int inFlight) {
            return new Team(available, waiting, inFlight, List.of(), List.of());
        }
    }

    /**
     * What the pacer expects.
     *
     * @param expectedFree   agents free at the horizon (free now included, people waiting deducted)
     * @param expectedPeople people still expected from the dials in flight
     * @param aggressiveness the share of people allowed to find no agent, as the steering sets it
     */
    record Forecast(double expectedFree, double expectedPeople, double aggressiveness, int dialsToStart,
                    boolean predicting) {
    }

    /** The rates the steering needs, in the guard's view (assumed detection errors included). */
    record Budget(long periodLive, long periodAbandoned, double target) {
    }

    private static final class Memory {
        final HandleTimes handles = new HandleTimes();
        final DialYield yield = new DialYield();
        final AbandonSteering steering;

        Memory(Duration interval) {
            steering = new AbandonSteering(interval);
        }
    }

    private final Duration interval;
    private final Map<UUID, Memory> memories = new HashMap<>();
    private final PoissonLoss loss = new PoissonLoss();

    PredictivePacer(Duration interval) {
        this.interval = interval;
    }

    /**
     * @param ratio the guard's ratio in force; at 1.0 (its hard back-off) nobody busy is counted and no dial is
     *              placed beyond one per free agent
     */
    Forecast forecast(UUID campaignId, Team team, double ratio, Budget budget, Instant now) {
        Memory memory = memories.computeIfAbsent(campaignId, id -> new Memory(interval));
        memory.handles.observe(team.agents(), now);
        memory.yield.observe(team.dials(), now);
        double k = memory.steering.steer(budget.periodLive(), budget.periodAbandoned(), budget.target(), now);
        int free = Math.max(0, team.available() - team.waiting());
        boolean predicting = ratio > Pacer.MIN_RATIO && memory.handles.learnt() && memory.yield.learnt();
        if (!predicting) {
            return new Forecast(free, 0, k, Pacer.dialsToStart(ratio, free, team.inFlight()), false);
        }
        double horizon = memory.yield.secondsToPerson(HORIZON_QUANTILE);
        double expectedFree = free;
        for (HandleTimes.AgentNow agent : team.agents()) {
            if (agent.state() == HandleTimes.Busy.ON_CALL || agent.state() == HandleTimes.Busy.WRAP_UP) {
                expectedFree += memory.handles.freeWithin(agent.state(), HandleTimes.seconds(agent.since(), now), horizon);
            }
        }
        double expectedPeople = 0;
        for (DialYield.DialNow dial : team.dials()) {
            if (!dial.resolved()) {
                expectedPeople += memory.yield.stillBrings(HandleTimes.seconds(dial.placedAt(), now));
            }
        }
        // Never fewer than one dial per free agent, as at the hard back-off: Erlang's pooling gives a lone free agent
        // almost nobody, and a team of one would never be dialled for.
        double aimed = Math.max(Math.min(loss.people(expectedFree, k), expectedFree * MAX_PEOPLE_PER_AGENT),
                free * memory.yield.perDial());
        return new Forecast(expectedFree, expectedPeople, k, dialsFor(aimed - expectedPeople, memory.yield.perDial()),
                true);
    }

    /** Dials whose expected people make up {@code missing}. */
    static int dialsFor(double missing, double perDial) {
        if (missing <= 0 || perDial <= 0) {
            return 0;
        }
        // Rounded, not raised: a part of a dial's person more than half short is not worth a whole dial's risk.
        return (int) Math.round(missing / perDial);
    }

    /** Whether the pacer has met the campaign since it started (or since it forgot it). */
    boolean knows(UUID campaignId) {
        return memories.containsKey(campaignId);
    }

    /**
     * Meets the campaign with what it would have learnt from the snapshots of its past: the team's state changes and
     * the campaign's ended dials, each oldest first, so the newest stay in the learners' windows.
     */
    void warm(UUID campaignId, Iterable<HandleTimes.AgentNow> stateChanges, Iterable<PacingHistory.PastDial> dials) {
        Memory memory = memories.computeIfAbsent(campaignId, id -> new Memory(interval));
        memory.handles.replay(stateChanges);
        for (PacingHistory.PastDial dial : dials) {
            memory.yield.learn(HandleTimes.seconds(dial.placedAt(), dial.resolvedAt()), dial.person());
        }
    }

    /** Dials learnt so far for the campaign, for tests. */
    int dialSamples(UUID campaignId) {
        Memory memory = memories.get(campaignId);
        return memory == null ? 0 : memory.yield.dials();
    }

    void forget(UUID campaignId) {
        memories.remove(campaignId);
    }

    /** Handles seen so far for the campaign's team, for tests. */
    int handleSamples(UUID campaignId) {
        Memory memory = memories.get(campaignId);
        return memory == null ? 0 : memory.handles.samples();
    }
}
