package io.callcenter.dialer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Progressive mode's agents: each dial holds a free agent of the team (the agent module's reservation, under the
 * attempt's id) from before it is placed until the person is connected to them or the attempt ends, so a person
 * answering always has their agent. Lane only, like the engine. Held agents live in memory: after a restart an
 * attempt in flight is matched like any other.
 */
final class HeldAgents {

    private final TeamAgents agents;
    private final Map<UUID, UUID> byAttempt = new HashMap<>();

    HeldAgents(TeamAgents agents) {
        this.agents = agents;
    }

    /** Reserves a free agent of the team for the attempt; null when none is free (then nothing may be dialled). */
    UUID hold(UUID teamId, UUID attemptId) {
        UUID agent = agents.available(teamId).stream()
                .filter(candidate -> agents.tryReserve(candidate, attemptId)).findFirst().orElse(null);
        if (agent != null) {
            byAttempt.put(attemptId, agent);
        }
        return agent;
    }

    /** How many of these open attempts hold an agent: agents no longer available, yet the free agents they dial for. */
    int heldBy(List<Attempt> open) {
        return (int) open.stream().filter(a -> byAttempt.containsKey(a.id())).count();
    }

    /**
     * The agent held for the attempt first, then the team's available agents (longest idle first). The team is read
     * only if the held agent is not taken: that read is a query of the whole team.
     */
    Stream<UUID> candidates(UUID teamId, UUID attemptId) {
        return Stream.concat(Stream.ofNullable(byAttempt.get(attemptId)),
                Stream.of(teamId).flatMap(team -> agents.available(team).stream()));
    }

    /** The agent held for the attempt, or null. */
    UUID heldFor(UUID attemptId) {
        return byAttempt.get(attemptId);
    }

    /** The person was connected to {@code agent}: the live call owns that reservation now; any other held one is freed. */
    void connected(UUID attemptId, UUID agent) {
        UUID held = byAttempt.remove(attemptId);
        if (held != null && !held.equals(agent)) {
            agents.release(held, attemptId);
        }
    }

    /** The attempt ended or was undone without reaching its agent: the agent is free again. */
    void release(UUID attemptId) {
        UUID held = byAttempt.remove(attemptId);
        if (held != null) {
            agents.release(held, attemptId);
        }
    }
}
