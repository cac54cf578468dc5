package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.EndpointSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who the agents are and who can take a call now. An agent is available when their SIP endpoint is registered
 * and reachable, Asterisk has no channel for it, and no call of ours has reserved them (a reservation covers the
 * moment between choosing an agent and their phone's channel existing, so two calls never pick the same agent).
 */
@Service
public class AgentDirectory {

    private static final Logger log = LoggerFactory.getLogger(AgentDirectory.class);

    private final AgentRepository agents;
    private final AsteriskGateway asterisk;
    private final AgentProvisioner provisioner;
    private final Map<UUID, UUID> reservations = new ConcurrentHashMap<>();

    AgentDirectory(AgentRepository agents, AsteriskGateway asterisk, AgentProvisioner provisioner) {
        this.agents = agents;
        this.asterisk = asterisk;
        this.provisioner = provisioner;
    }

    public Optional<Agent> byExtension(String extension) {
        return agents.findByExtension(extension);
    }

    public Optional<Agent> byId(UUID id) {
        return agents.findById(id);
    }

    /**
     * Agents of the team who could take a call right now, longest idle first. Nothing is reserved. One request
     * for all PJSIP endpoints rather than one per agent: routing stays two round trips whatever the team size.
     */
    public List<Agent> availableInTeam(UUID teamId) {
        Map<String, EndpointSnapshot> endpoints;
        try {
            endpoints = asterisk.endpoints("PJSIP").stream()
                    .collect(java.util.stream.Collectors.toMap(EndpointSnapshot::resource, e -> e, (a, b) -> a));
        } catch (RuntimeException e) {
            log.warn("Cannot read endpoint states: {}", e.getMessage());
            return List.of();
        }
        return agents.findByTeamLongestIdleFirst(teamId).stream()
                .filter(agent -> !reservations.containsKey(agent.id()))
                .filter(agent -> {
                    EndpointSnapshot endpoint = endpoints.get(agent.extension());
                    return endpoint != null && endpoint.online() && endpoint.channelIds().isEmpty();
                })
                .toList();
    }

    public boolean isReachable(Agent agent) {
        return endpointOf(agent).online();
    }

    public boolean reachableAndIdle(Agent agent) {
        EndpointSnapshot endpoint = endpointOf(agent);
        return endpoint.online() && endpoint.channelIds().isEmpty();
    }

    /** Reserves the agent for a call; false if another call holds them. Idempotent for the same call. */
    public boolean tryReserve(UUID agentId, UUID callId) {
        UUID holder = reservations.putIfAbsent(agentId, callId);
        return holder == null || holder.equals(callId);
    }

    public void release(UUID agentId, UUID callId) {
        reservations.remove(agentId, callId);
    }

    /** Ends the agent's part in a call: frees the reservation and feeds longest-idle distribution. */
    public void callEnded(UUID agentId, UUID callId, Instant endedAt) {
        release(agentId, callId);
        agents.markCallEnded(agentId, endedAt);
    }

    /** Creates an agent and pushes their SIP endpoint to Asterisk at once (no reload). */
    public Agent create(String extension, String displayName, UUID teamId, String sipPassword) {
        Agent agent = new Agent(UUID.randomUUID(), extension, displayName, teamId);
        agents.insert(agent, sipPassword);
        provisioner.pushIfConnected(new AgentRepository.SipCredentials(extension, displayName, sipPassword));
        return agent;
    }

    public void changeSipPassword(String extension, String sipPassword) {
        agents.updatePassword(extension, sipPassword);
        agents.findByExtension(extension).ifPresent(agent -> provisioner.pushIfConnected(
                new AgentRepository.SipCredentials(extension, agent.displayName(), sipPassword)));
    }

    private EndpointSnapshot endpointOf(Agent agent) {
        try {
            return asterisk.endpoint("PJSIP", agent.extension());
        } catch (RuntimeException e) {
            log.warn("Cannot read endpoint state of agent {}: {}", agent.extension(), e.getMessage());
            return EndpointSnapshot.unknown("PJSIP", agent.extension());
        }
    }
}
