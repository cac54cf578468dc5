package io.callcenter.agent;

import io.callcenter.asterisk.EndpointSnapshot;
import io.callcenter.identity.AgentExtensions;
import io.callcenter.ops.LastKnown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
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
public class AgentDirectory implements AgentExtensions {

    private static final Logger log = LoggerFactory.getLogger(AgentDirectory.class);

    private final AgentRepository agents;
    private final AgentProvisioner provisioner;
    private final AgentPresence presence;
    private final EndpointStates endpoints;
    private final Map<UUID, UUID> reservations = new ConcurrentHashMap<>();
    private final LastKnown<UUID, Optional<Agent>> byId = new LastKnown<>();
    private final LastKnown<UUID, List<Agent>> byTeam = new LastKnown<>();

    AgentDirectory(AgentRepository agents, AgentProvisioner provisioner, AgentPresence presence, EndpointStates endpoints) {
        this.agents = agents;
        this.endpoints = endpoints;
        this.provisioner = provisioner;
        this.presence = presence;
    }

    public List<Agent> all() {
        return agents.findAll();
    }

    public Optional<Agent> byExtension(String extension) {
        return agents.findByExtension(extension);
    }

    public Optional<Agent> byId(UUID id) {
        return byId.read(id, () -> agents.findById(id));
    }

    @Override
    public Optional<String> extensionOf(UUID agentId) {
        return byId(agentId).map(Agent::extension);
    }

    /**
     * Agents of the team who could take a call right now, longest idle first. Nothing is reserved. The phones'
     * states come from Asterisk's events ({@link EndpointStates}), not from a request per call.
     */
    public List<Agent> availableInTeam(UUID teamId) {
        Map<String, EndpointSnapshot> endpoints;
        try {
            endpoints = this.endpoints.all();
        } catch (RuntimeException e) {
            log.warn("Cannot read endpoint states: {}", e.getMessage());
            return List.of();
        }
        return teamLongestIdleFirst(teamId).stream()
                .filter(agent -> !reservations.containsKey(agent.id()))
                .filter(agent -> presence.takesCalls(agent.id()))
                .filter(agent -> {
                    EndpointSnapshot endpoint = endpoints.get(agent.extension());
                    return endpoint != null && endpoint.online() && endpoint.channelIds().isEmpty();
                })
                .toList();
    }

    /**
     * Read through, so a new call reaches a free agent while the database is away; the agents read here are also
     * remembered one by one, since routing looks the chosen one up by id next.
     */
    private List<Agent> teamLongestIdleFirst(UUID teamId) {
        return byTeam.read(teamId, () -> {
            List<Agent> team = agents.findByTeamLongestIdleFirst(teamId);
            team.forEach(agent -> byId.remember(agent.id(), Optional.of(agent)));
            return team;
        });
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
        boolean reserved = holder == null || holder.equals(callId);
        if (reserved && holder == null) {
            presence.callStarted(agentId, callId);
        }
        return reserved;
    }

    public void release(UUID agentId, UUID callId) {
        if (reservations.remove(agentId, callId)) {
            presence.callReleased(agentId, callId);
        }
    }

    /**
     * Ends the agent's part in a call: frees the reservation, starts the wrap-up and feeds longest-idle
     * distribution.
     */
    public void callEnded(UUID agentId, UUID callId, Instant endedAt, Duration wrapUp) {
        reservations.remove(agentId, callId);
        presence.callEnded(agentId, callId, wrapUp);
        try {
            agents.markCallEnded(agentId, endedAt);
        } catch (RuntimeException e) {
            // Only longest-idle ordering reads it: with the database away the agent is freed all the same.
            log.warn("agent {}: end of call {} not recorded for longest-idle routing: {}", agentId, callId, e.getMessage());
        }
    }

    /** Creates an agent and pushes their SIP endpoint to Asterisk at once (no reload). */
    public Agent create(String extension, String displayName, UUID teamId, Agent.Phone phone, String sipPassword) {
        Agent agent = new Agent(UUID.randomUUID(), extension, displayName, teamId, phone);
        String md5Cred = SipDigest.md5Cred(extension, sipPassword);
        agents.insert(agent, md5Cred);
        afterCommit(() -> provisioner.pushIfConnected(new AgentRepository.SipEndpoint(agent, md5Cred)));
        return agent;
    }

    /** Moves the agent to another team: routing and the team's views pick them up with the next call. */
    public void moveToTeam(UUID agentId, UUID teamId) {
        agents.updateTeam(agentId, teamId);
    }

    /**
     * Inside a transaction (an administrator creating a user with their agent), Asterisk must not learn of an
     * endpoint whose row may still roll back; outside one the row is already there.
     */
    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            action.run();
                        }
                    });
        } else {
            action.run();
        }
    }

    /** Sets the agent's phone kind and SIP password, and pushes the endpoint at once. */
    public void configurePhone(UUID agentId, Agent.Phone phone, String sipPassword) {
        Agent agent = agents.findById(agentId).orElseThrow(() -> new IllegalArgumentException("no agent " + agentId));
        Agent updated = new Agent(agent.id(), agent.extension(), agent.displayName(), agent.teamId(), phone);
        String md5Cred = SipDigest.md5Cred(agent.extension(), sipPassword);
        agents.updateEndpoint(agentId, phone, md5Cred);
        provisioner.pushIfConnected(new AgentRepository.SipEndpoint(updated, md5Cred));
    }

    /**
     * A fresh SIP password for the agent's phone, replacing the previous one at once (a phone still using it fails
     * its next registration refresh): the softphone fetches one after every login, so a password never outlives the
     * session it was handed to.
     */
    public SipCredentials issueSipCredentials(UUID agentId) {
        Agent agent = agents.findById(agentId).orElseThrow(() -> new IllegalArgumentException("no agent " + agentId));
        String password = SipDigest.newPassword();
        configurePhone(agentId, agent.phone(), password);
        return new SipCredentials(agent.extension(), agent.extension(), password, agent.displayName(), agent.phone());
    }

    public record SipCredentials(String extension, String username, String password, String displayName, Agent.Phone phone) {
    }

    private EndpointSnapshot endpointOf(Agent agent) {
        try {
            return endpoints.of(agent.extension());
        } catch (RuntimeException e) {
            log.warn("Cannot read endpoint state of agent {}: {}", agent.extension(), e.getMessage());
            return EndpointSnapshot.unknown("PJSIP", agent.extension());
        }
    }
}
