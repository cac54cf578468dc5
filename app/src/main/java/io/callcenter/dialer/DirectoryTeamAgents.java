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
    public boolean tryReserve(UUID agentId, UUID attemptId) {
        return directory.tryReserve(agentId, attemptId);
    }

    @Override
    public void release(UUID agentId, UUID attemptId) {
        directory.release(agentId, attemptId);
    }
}
