package io.callcenter.dialer;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

@Component
class DirectoryTeamAgents implements TeamAgents {

    private static final Set<AgentPresence.State> WORKING =
            EnumSet.of(AgentPresence.State.AVAILABLE, AgentPresence.State.ON_CALL, AgentPresence.State.WRAP_UP);

    private final AgentDirectory directory;
    private final AgentPresence presence;

    DirectoryTeamAgents(AgentDirectory directory, AgentPresence presence) {
        this.directory = directory;
        this.presence = presence;
    }

    @Override
    public List<UUID> available(UUID teamId) {
        return directory.availableInTeam(teamId).stream()
                .filter(agent -> presence.stateOf(agent.id()) == AgentPresence.State.AVAILABLE)
                .map(Agent::id).toList();
    }

    @Override
    public boolean anyWorking(UUID teamId) {
        return directory.all().stream()
                .filter(agent -> teamId.equals(agent.teamId()))
                .anyMatch(agent -> WORKING.contains(presence.stateOf(agent.id())));
    }

    @Override
    public int working(UUID teamId) {
        return (int) directory.all().stream()
                .filter(agent -> teamId.equals(agent.teamId()))
                .filter(agent -> WORKING.contains(presence.stateOf(agent.id()))).count();
    }

    @Override
    public List<HandleTimes.AgentNow> states(UUID teamId) {
        return directory.all().stream().filter(agent -> teamId.equals(agent.teamId())).map(agent -> {
            AgentPresence.StateChanged now = presence.current(agent.id());
            return new HandleTimes.AgentNow(agent.id(), busy(now.state()), now.since());
        }).toList();
    }

    /** An agent's state as predictive pacing counts it, live or from the state log. */
    static HandleTimes.Busy busy(AgentPresence.State state) {
        return switch (state) {
            case AVAILABLE -> HandleTimes.Busy.FREE;
            case ON_CALL -> HandleTimes.Busy.ON_CALL;
            case WRAP_UP -> HandleTimes.Busy.WRAP_UP;
            case OFFLINE, BREAK -> HandleTimes.Busy.AWAY;
        };
    }

    @Override
    public boolean tryReserve(UUID agentId, UUID attemptId) {
        return directory.tryReserve(agentId, attemptId);
    }

    @Override
    public void release(UUID agentId, UUID attemptId) {
        directory.release(agentId, attemptId);
    }
}
