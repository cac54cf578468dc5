package io.callcenter.call.api;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
import io.callcenter.call.DialledLeads;
import io.callcenter.call.admission.Admission;
import io.callcenter.call.engine.CallEngine;
import io.callcenter.call.guard.OutboundGuard;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.Target;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.placed.PlacedCallFlow;
import io.callcenter.call.store.CallRepository;
import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.routing.DoNotCallList;
import io.callcenter.routing.PhoneNumbers;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Calls placed through the API (the softphone's dialpad and redial, a CRM's click-to-dial) and what agents say
 * about calls afterwards. Everything that can be refused is checked here, before any channel exists, so the
 * caller gets a precise problem instead of a call that fails later.
 */
@Service
class CallService {

    private static final java.util.regex.Pattern EXTENSION = java.util.regex.Pattern.compile("[0-9]{3,6}");

    private final CallEngine engine;
    private final AgentDirectory agents;
    private final AgentPresence presence;
    private final RoutingService routing;
    private final OutboundGuard guard;
    private final CallProperties properties;
    private final CallRepository calls;
    private final DoNotCallList doNotCall;
    private final org.springframework.beans.factory.ObjectProvider<DialledLeads> leads;
    private final Admission admission;

    CallService(CallEngine engine, AgentDirectory agents, AgentPresence presence, RoutingService routing,
                OutboundGuard guard, CallProperties properties, CallRepository calls, DoNotCallList doNotCall,
                org.springframework.beans.factory.ObjectProvider<DialledLeads> leads, Admission admission) {
        this.admission = admission;
        this.leads = leads;
        this.engine = engine;
        this.agents = agents;
        this.presence = presence;
        this.routing = routing;
        this.guard = guard;
        this.properties = properties;
        this.calls = calls;
        this.doNotCall = doNotCall;
    }

    record Placed(UUID callId, String number, boolean internal) {
    }

    Placed place(Caller caller, String dialled, String leadId, UUID forAgent) {
        caller.require(Permissions.CALLS_DIAL);
        BooleanSupplier listed = listedAhead(dialled);
        Agent agent = agentFor(caller, forAgent);
        if (dialled == null || dialled.isBlank()) {
            throw invalidNumber("number is required");
        }
        String compact = compact(dialled);
        Optional<Agent> colleague = EXTENSION.matcher(compact).matches() ? agents.byExtension(compact) : Optional.empty();
        Team team = routing.team(agent.teamId()).orElseThrow(() -> new IllegalStateException("agent without team"));
        String number;
        if (colleague.isPresent()) {
            if (colleague.get().id().equals(agent.id())) {
                throw invalidNumber("you cannot call your own extension");
            }
            number = colleague.get().extension();
        } else {
            number = PhoneNumbers.toE164(dialled, properties.defaultRegion())
                    .orElseThrow(() -> invalidNumber("'" + dialled + "' is not a valid phone number or extension"));
            guard.check(agent, team, number, listed != null ? listed : () -> doNotCall.contains(number)).ifPresent(refusal -> {
                throw refused(refusal, number);
            });
        }
        admission.requireRoom();
        // An agent held for the lead they were offered is ON_CALL for it already: the call takes that hold over.
        boolean idle = agents.reachableAndIdle(agent);
        Optional<UUID> offered = !idle || leadId == null || leadId.isBlank() ? Optional.empty()
                : Optional.ofNullable(leads.getIfAvailable()).flatMap(l -> l.offeredCall(agent.id(), leadId.strip()));
        if ((offered.isEmpty() && presence.stateOf(agent.id()) == AgentPresence.State.ON_CALL) || !idle) {
            boolean reachable = agents.isReachable(agent);
            throw ApiProblem.conflict("agent-not-ready", "Agent not ready", reachable
                    ? "Agent " + agent.extension() + " is already on a call"
                    : "Agent " + agent.extension() + "'s phone is not registered (log in to the softphone first)");
        }
        UUID callId = offered.orElseGet(UUID::randomUUID);
        if (!agents.tryReserve(agent.id(), callId)) {
            throw ApiProblem.conflict("agent-not-ready", "Agent not ready", "Agent " + agent.extension() + " is already on a call");
        }
        engine.place(new PlacedCallFlow.PlaceCall(callId, agent, team, number, colleague.orElse(null),
                leadId == null || leadId.isBlank() ? null : leadId.strip()));
        return new Placed(callId, number, colleague.isPresent());
    }

    /** The agent's word on how the call went; ends their wrap-up. DO_NOT_CALL lists the number at once. */
    void dispose(Caller caller, UUID callId, String code, String note) {
        caller.require(Permissions.CALLS_HISTORY);
        CallRepository.Summary call = calls.summary(callId).filter(c -> visible(caller, c))
                .orElseThrow(() -> ApiProblem.notFound("No call with id " + callId));
        if (!calls.selectableDisposition(code)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-disposition", "Invalid disposition",
                    "'" + code + "' is not a disposition an agent can choose");
        }
        if (note != null && note.length() > 2000) {
            throw ApiProblem.badRequest("note is longer than 2000 characters");
        }
        calls.dispose(callId, code, note, caller.userId());
        // A call the dialer placed has the attempt's id: the lead's outcome is the agent's word on it.
        leads.ifAvailable(dialled -> dialled.dispositionGiven(callId, code));
        if ("DO_NOT_CALL".equals(code) && call.otherParty() != null && call.otherParty().startsWith("+")) {
            doNotCall.add(call.otherParty(), "internal", "disposition of call " + callId, caller.userId());
        }
        if (caller.agentId() != null) {
            presence.wrapUpDone(caller.agentId(), callId, "disposition " + code);
        }
    }

    // ---------------------------------------------------------------- mid-call: conference, transfer, recording

    record Started(UUID callId, String legId, String target) {
    }

    Started addParticipant(Caller caller, UUID callId, String target) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        Target resolved = resolveTarget(agentId, callId, target);
        String legId = engineCommand(resolved, () -> engine.addParticipant(callId, agentId, resolved), callId);
        return new Started(callId, legId, resolved.description());
    }

    Started transfer(Caller caller, UUID callId, String target, String mode) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        Transfer.Mode transferMode;
        try {
            transferMode = Transfer.Mode.valueOf(String.valueOf(mode == null ? "blind" : mode).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("mode must be blind or attended");
        }
        Target resolved = resolveTarget(agentId, callId, target);
        String legId = engineCommand(resolved,
                () -> engine.startTransfer(callId, agentId, transferMode, resolved), callId);
        return new Started(callId, legId, resolved.description());
    }

    void completeTransfer(Caller caller, UUID callId) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        engineCommand(null, () -> engine.completeTransfer(callId, agentId), callId);
    }

    void cancelTransfer(Caller caller, UUID callId) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        engineCommand(null, () -> engine.cancelTransfer(callId, agentId), callId);
    }

    boolean pauseRecording(Caller caller, UUID callId, boolean paused) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        return engineCommand(null, () -> engine.pauseRecording(callId, agentId, paused), callId);
    }

    /**
     * An extension (an agent), {@code team:<name>} (the team's longest-idle available agent) or a phone number (through
     * the trunk, after the same guard as any outbound call). Agents are reserved for the call here.
     */
    private Target resolveTarget(UUID agentId, UUID callId, String target) {
        if (target == null || target.isBlank()) {
            throw invalidNumber("target is required");
        }
        Agent agent = agents.byId(agentId).orElseThrow(() -> ApiProblem.notFound("Your agent no longer exists"));
        Team team = routing.team(agent.teamId()).orElseThrow(() -> new IllegalStateException("agent without team"));
        String compact = compact(target);
        Optional<Agent> colleague = Optional.empty();
        if (compact.regionMatches(true, 0, "team:", 0, 5)) {
            String teamName = target.strip().substring(5).strip();
            Team targetTeam = routing.teamNamed(teamName).orElseThrow(() -> ApiProblem.notFound("No team " + teamName));
            colleague = agents.availableInTeam(targetTeam.id()).stream()
                    .filter(candidate -> agents.tryReserve(candidate.id(), callId)).findFirst();
            if (colleague.isEmpty()) {
                throw ApiProblem.conflict("no-agent-available", "Nobody available", "No agent of " + teamName + " is available");
            }
        } else if (EXTENSION.matcher(compact).matches() && agents.byExtension(compact).isPresent()) {
            Agent candidate = agents.byExtension(compact).get();
            if (candidate.id().equals(agentId) || !agents.reachableAndIdle(candidate) || !agents.tryReserve(candidate.id(), callId)) {
                throw ApiProblem.conflict("target-busy", "Target not available",
                        "Extension " + compact + " is busy or its phone is not registered");
            }
            colleague = Optional.of(candidate);
        }
        if (colleague.isPresent()) {
            Agent to = colleague.get();
            return new Target(to.sipEndpoint(), to.extension(), to.id(),
                    Parties.callerId(agent.extension(), agent.displayName()), "extension " + to.extension());
        }
        String number = PhoneNumbers.toE164(target, properties.defaultRegion())
                .orElseThrow(() -> invalidNumber("'" + target + "' is not a valid phone number, extension or team:<name>"));
        guard.check(agent, team, number).ifPresent(refusal -> {
            throw refused(refusal, number);
        });
        return new Target(properties.trunkChannel(number), number, null,
                Parties.callerId(team.callerIdNumber(), team.name()), number);
    }

    /** Runs an engine command; a refusal becomes 409 (and a target agent reserved for it is let go again). */
    private <T> T engineCommand(Target target, java.util.function.Supplier<T> command, UUID callId) {
        try {
            return command.get();
        } catch (CommandRefused refused) {
            if (target != null && target.agentId() != null) {
                agents.release(target.agentId(), callId);
            }
            throw ApiProblem.conflict(refused.slug, "Not possible now", refused.getMessage());
        }
    }

    boolean visible(Caller caller, CallRepository.Summary call) {
        if (caller.isAdmin()) {
            return true;
        }
        if (call.teamId() != null && caller.seesTeam(call.teamId())) {
            return true;
        }
        return caller.agentId() != null && call.agentIds().contains(caller.agentId());
    }

    /**
     * A number (not an extension) has its do-not-call read started before the agent's and team's reads, beside
     * them rather than after them (see {@link OutboundGuard#listedAhead}); null for anything else.
     */
    private BooleanSupplier listedAhead(String dialled) {
        if (dialled == null || dialled.isBlank() || EXTENSION.matcher(compact(dialled)).matches()) {
            return null;
        }
        return PhoneNumbers.toE164(dialled, properties.defaultRegion()).map(guard::listedAhead).orElse(null);
    }

    private Agent agentFor(Caller caller, UUID forAgent) {
        if (forAgent == null || forAgent.equals(caller.agentId())) {
            return agents.byId(caller.requireAgent()).orElseThrow(() -> ApiProblem.notFound("Your agent no longer exists"));
        }
        Agent agent = agents.byId(forAgent).orElseThrow(() -> ApiProblem.notFound("No agent " + forAgent));
        if (!caller.seesTeam(agent.teamId())) {
            // Same answer as for an agent that does not exist: no probing of other teams.
            throw ApiProblem.notFound("No agent " + forAgent);
        }
        return agent;
    }

    /** The outbound guard's refusal as the API answers it, with when to try again if it is the rate limit. */
    private static ApiProblem refused(OutboundGuard.Refusal refusal, String number) {
        ApiProblem problem = new ApiProblem(HttpStatus.valueOf(refusal.status()), refusal.slug(), refusal.title(),
                refusal.detail()).with("number", number);
        if (refusal.retryAfter() != null) {
            problem.header("Retry-After", Long.toString(refusal.retryAfter().toSeconds()));
        }
        return problem;
    }

    /** What people type around digits (spaces, brackets, dots, dashes), gone. */
    private static String compact(String dialled) {
        return dialled.strip().replaceAll("[\\s().-]", "");
    }

    private static ApiProblem invalidNumber(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-number", "Invalid number", detail);
    }
}
