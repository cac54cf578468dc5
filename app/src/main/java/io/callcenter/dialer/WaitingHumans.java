package io.callcenter.dialer;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The people who answered and wait for an agent, each with their deadline: matched to the longest-idle available
 * agent, or abandoned once the deadline passes. Lane only, like the engine that owns it; its steps go through the
 * engine so they are stored and carried out as every other step.
 */
final class WaitingHumans {

    private final DialerEngine engine;
    private final AttemptRepository attempts;
    private final TeamAgents agents;
    private final HeldAgents held;
    private final AttemptMachine machine;
    private final Clock clock;
    /** Humans waiting for an agent, with their deadline; lane only. */
    private final Map<UUID, Instant> waiting = new HashMap<>();

    WaitingHumans(DialerEngine engine, AttemptRepository attempts, TeamAgents agents, HeldAgents held,
                  AttemptMachine machine, Clock clock) {
        this.engine = engine;
        this.attempts = attempts;
        this.agents = agents;
        this.held = held;
        this.machine = machine;
        this.clock = clock;
    }

    /** The person waits for an agent until the deadline (replacing any deadline they had). */
    void waitUntil(UUID attemptId, Instant deadline) {
        waiting.put(attemptId, deadline);
    }

    /** The person is no longer waiting for an agent to be found. */
    void stopWaiting(UUID attemptId) {
        waiting.remove(attemptId);
    }

    /** Gives each waiting human the longest-idle available agent, or abandons them after their deadline. */
    void match() {
        if (waiting.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (UUID attemptId : List.copyOf(waiting.keySet())) {
            Optional<Attempt> found = engine.attempts().find(attemptId).filter(a -> a.state() == AttemptState.HUMAN);
            if (found.isEmpty()) {
                waiting.remove(attemptId);
                continue;
            }
            Attempt attempt = found.get();
            Campaign campaign = engine.campaignOf(attempt);
            if (!now.isBefore(waiting.get(attemptId))) {
                // Past the deadline an agent could only connect late, which the rule counts as abandoned anyway.
                waiting.remove(attemptId);
                engine.step(attempt, machine.noAgentInTime(attempt, campaign));
                continue;
            }
            // Progressive mode's person gets the agent held for them (the same reservation); others the longest idle.
            Optional<UUID> agent = held.candidates(campaign.teamId(), attemptId)
                    .filter(candidate -> agents.tryReserve(candidate, attemptId)).findFirst();
            if (agent.isPresent()) {
                waiting.remove(attemptId);
                held.connected(attemptId, agent.get());
                engine.step(attempt, machine.agentReserved(attempt, agent.get()));
            }
        }
    }
}
