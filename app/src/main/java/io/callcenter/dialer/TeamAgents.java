package io.callcenter.dialer;

import java.util.List;
import java.util.UUID;

/** What the dialer needs to know about a team's agents: the agent module behind a narrow port. */
interface TeamAgents {

    /** Agents who could take a person right now, longest idle first. */
    List<UUID> available(UUID teamId);

    /** Whether any agent of the team is working (available, on a call or in wrap-up), i.e. not all away or on break. */
    boolean anyWorking(UUID teamId);

    /** How many agents of the team are working: the base of pacing's idle share. */
    int working(UUID teamId);

    /**
     * Every agent of the team with its state and since when, for predictive pacing to learn handle times from and to
     * count busy agents with their chance of being free soon; none by default (nothing predicted).
     */
    default List<HandleTimes.AgentNow> states(UUID teamId) {
        return List.of();
    }

    boolean tryReserve(UUID agentId, UUID attemptId);

    void release(UUID agentId, UUID attemptId);
}
