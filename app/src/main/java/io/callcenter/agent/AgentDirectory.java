package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.EndpointSnapshot;
import io.callcenter.identity.AgentExtensions;
import io.callcenter.ops.LastKnown;
import io.callcenter.routing.memory.RoutingMemory;
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
public class AgentDirectory implements AgentExtensions, AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(AgentDirectory.class);

    private final AgentRepository agents;
    private final AgentProvisioner provisioner;
    private final AgentPresence presence;
    private final EndpointStates endpoints;
    private final Map<UUID, UUID> reservations = new ConcurrentHashMap<>();
    private final LastKnown<UUID, Optional<Agent>> byId = new LastKnown<>();
    private final LastKnown<UUID, List<AgentRepository.Member>> byTeam = new LastKnown<>();
    /**
     * When each agent's last call ended, as far as this instance knows: the database's value when their team was
     * read, moved forward by every call that ends here. Only the instance holding the floor ends calls, so while it
     * holds it this is the database's own order; an instance that gains the floor reads every team afresh first
     * ({@link #onConnected}), so calls another instance ended meanwhile count.
     */
    private final Map<UUID, Instant> lastCallEnded = new ConcurrentHashMap<>();
    private final java.util.Set<UUID> teamsRead = ConcurrentHashMap.newKeySet();
    private static final java.util.Comparator<Instant> NEVER_FIRST = java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder());

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
        return availableInTeam(teamId, RoutingMemory.Recall.THROUGH);
    }

    /**
     * The same, for a new inbound call: who is in the team comes from the routing memory (an agent added, removed,
     * moved to another team or given another phone moves the routing generation, migration V165), their longest
     * idle order from the calls ended here; one database read less per call.
     */
    public List<Agent> availableInTeam(UUID teamId, RoutingMemory.Recall memory) {
        Map<String, EndpointSnapshot> endpoints;
        try {
            endpoints = this.endpoints.all();
        } catch (RuntimeException e) {
            log.warn("Cannot read endpoint states: {}", e.getMessage());
            return List.of();
        }
        return teamLongestIdleFirst(teamId, memory).stream()
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
    private List<Agent> teamLongestIdleFirst(UUID teamId, RoutingMemory.Recall memory) {
        List<AgentRepository.Member> team = memory.recall("agents of team", teamId, () -> readTeam(teamId));
        if (!teamsRead.contains(teamId)) {
            team = readTeam(teamId);
        }
        return team.stream().map(AgentRepository.Member::agent)
                .sorted(java.util.Comparator.comparing((Agent agent) -> lastCallEnded.get(agent.id()), NEVER_FIRST)
                        .thenComparing(Agent::extension))
                .toList();
    }

    private List<AgentRepository.Member> readTeam(UUID teamId) {
        List<AgentRepository.Member> team = byTeam.read(teamId, () -> {
            List<AgentRepository.Member> members = agents.findTeamMembers(teamId);
            members.forEach(member -> byId.remember(member.agent().id(), Optional.of(member.agent())));
            return members;
        });
        team.forEach(member -> callEndedAt(member.agent().id(), member.lastCallEndedAt()));
        teamsRead.add(teamId);
        return team;
    }

    /** Only ever forward: a team read racing a call's end cannot put back an older end. */
    private void callEndedAt(UUID agentId, Instant endedAt) {
        if (endedAt != null) {
            lastCallEnded.merge(agentId, endedAt, (known, read) -> read.isAfter(known) ? read : known);
        }
    }

    /** The event stream (re)connected, which is how this instance gains the floor: teams are read afresh. */
    @Override
    public void onConnected(AsteriskInfo info) {
        teamsRead.clear();
    }

    @Override
    public void onEvent(AsteriskEvent event) {
    }

    @Override
    public void onDisconnected() {
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
        callEndedAt(agentId, endedAt);
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
