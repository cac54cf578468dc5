package io.callcenter.call;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
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

    CallService(CallEngine engine, AgentDirectory agents, AgentPresence presence, RoutingService routing,
                OutboundGuard guard, CallProperties properties, CallRepository calls, DoNotCallList doNotCall) {
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
        Agent agent = agentFor(caller, forAgent);
        if (dialled == null || dialled.isBlank()) {
            throw invalidNumber("number is required");
        }
        String compact = dialled.replaceAll("[\\s().-]", "");
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
            guard.check(agent, team, number).ifPresent(refusal -> {
                ApiProblem problem = new ApiProblem(HttpStatus.valueOf(refusal.status()), refusal.slug(), refusal.title(),
                        refusal.detail()).with("number", number);
                if (refusal.retryAfter() != null) {
                    problem.header("Retry-After", Long.toString(refusal.retryAfter().toSeconds()));
                }
                throw problem;
            });
        }
        if (presence.stateOf(agent.id()) == AgentPresence.State.ON_CALL || !agents.reachableAndIdle(agent)) {
            boolean reachable = agents.isReachable(agent);
            throw ApiProblem.conflict("agent-not-ready", "Agent not ready", reachable
                    ? "Agent " + agent.extension() + " is already on a call"
                    : "Agent " + agent.extension() + "'s phone is not registered (log in to the softphone first)");
        }
        UUID callId = UUID.randomUUID();
        if (!agents.tryReserve(agent.id(), callId)) {
            throw ApiProblem.conflict("agent-not-ready", "Agent not ready", "Agent " + agent.extension() + " is already on a call");
        }
        engine.place(new CallEngine.PlaceCall(callId, agent, team, number, colleague.orElse(null),
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
        if ("DO_NOT_CALL".equals(code) && call.otherParty() != null && call.otherParty().startsWith("+")) {
            doNotCall.add(call.otherParty(), "internal", "disposition of call " + callId, caller.userId());
        }
        if (caller.agentId() != null) {
            presence.wrapUpDone(caller.agentId(), callId, "disposition " + code);
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

    private static ApiProblem invalidNumber(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-number", "Invalid number", detail);
    }
}
