package io.callcenter.call.placed;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.call.CallState;
import io.callcenter.call.Direction;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.lifecycle.CallFlow;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;
import io.callcenter.call.parties.Parties;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Calls placed through the API (dialpad, redial, a CRM's click-to-dial): the agent's own phone is rung first with
 * an auto-answer request (the softphone answers at once; a desk phone rings), then, once the agent is on the line,
 * the far end is dialled while the agent hears in-band ringback. The agent's leg is the caller, so from there on
 * the call behaves like one the agent dialled from the phone.
 */
public final class PlacedCallFlow implements CallFlow {

    /** What placing needs; the agent is already reserved for {@code callId} and the number vetted. */
    public record PlaceCall(UUID callId, Agent agent, Team team, String number, Agent colleague, String leadId) {
    }

    /** A queue callback placed as a call of this kind (agent first, then the caller); see {@code Call#callbackOf}. */
    public interface Callbacks {
        /** The agent picked up: true to dial the caller now; false: the callback was refused and the call ended. */
        boolean agentAnswered(Call call, Instant at);

        void callerAnswered(Call call, Instant at);

        void callerNotReached(Call call, String outcome, Instant at);

        /** The agent's phone could not be dialled: the callback goes back to its place. */
        void agentNotReached(Call call, Instant at);
    }

    private Callbacks callbacks;
    private final Parties parties;
    private final AgentDirectory agents;
    private final RoutingService routing;
    private final CallProperties properties;
    private final Clock clock;

    public PlacedCallFlow(Parties parties, AgentDirectory agents, RoutingService routing, CallProperties properties,
                          Clock clock) {
        this.parties = parties;
        this.agents = agents;
        this.routing = routing;
        this.properties = properties;
        this.clock = clock;
    }

    public void callbacksTo(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public Origin origin() {
        return Origin.PLACED;
    }

    public Call begin(PlaceCall request, Consumer<Call> register) {
        return begin(request, register, null);
    }

    /** @param callbackOf a queue callback's entry (the call that asked for it), or null for a plain placed call */
    public Call begin(PlaceCall request, Consumer<Call> register, UUID callbackOf) {
        Instant at = clock.instant();
        Agent agent = request.agent();
        boolean internal = request.colleague() != null;
        Call call = Call.start(request.callId(), Origin.PLACED, internal ? Direction.INTERNAL : Direction.OUTBOUND,
                internal ? agent.extension() : request.team().callerIdNumber(), request.number(), at,
                "placed for agent " + agent.extension());
        call.callbackOf = callbackOf;
        register.accept(call);
        try {
            call.agentId = agent.id();
            call.applyTeam(request.team());
            call.leadId = request.leadId();
            call.placedByApp = true;
            call.placedToAgent = internal ? request.colleague().id() : null;
            call.reservedAgents.add(agent.id());
            // The agent's phone shows whom they are calling.
            Map<String, String> variables = Parties.autoAnswer(Parties.callerId(request.number(),
                    internal ? request.colleague().displayName() : request.number()), call.id);
            call.note(at, "ringing the agent's phone", agent.extension());
            parties.dial(call, Leg.Role.CALLER, agent.sipEndpoint(), agent.extension(), agent.id(), variables,
                    properties.agentRingTimeout(), at);
        } catch (RuntimeException e) {
            if (call.hangupCause == null) {
                call.hangupCause = "agent_phone_failed";
            }
            throw e;
        }
        return call;
    }

    /** Whether an answering leg is the agent's own phone picking up a placed call (then the far end is dialled). */
    public boolean isAgentPickingUp(Call call, Leg leg) {
        return leg.role == Leg.Role.CALLER && call.placedByApp && leg.answeredAt == null
                && call.state() == CallState.ROUTING;
    }

    public void agentPickedUp(Call call, Leg agentLeg, Instant at) {
        agentLeg.answeredAt = at;
        if (call.callbackOf != null && !callbacks.agentAnswered(call, at)) {
            return;
        }
        // In-band ringback: the agent's leg is answered, so no 180 can tell them the far end rings.
        parties.commands().send(new CallCommand.Ring(agentLeg.channelId));
        call.agentRingbackPlaying = true;
        if (call.placedToAgent == null) {
            Team team = routing.team(call.teamId).orElseThrow(() -> new IllegalStateException("call without team"));
            parties.ringNumber(call, call.toNumber, team.callerIdNumber(), team.name(), at);
            return;
        }
        Agent colleague = agents.byId(call.placedToAgent).orElseThrow();
        Agent caller = agents.byId(call.agentId).orElseThrow();
        parties.ringColleague(call, caller, colleague, at);
    }

    /** The agent's own phone could not even be dialled: the call ends (settle) with that reason. */
    public void agentPhoneFailed(Call call) {
        if (call.callbackOf != null) {
            callbacks.agentNotReached(call, clock.instant());
        }
        if (call.hangupCause == null) {
            call.hangupCause = "agent_phone_failed";
        }
    }

    @Override
    public void connected(Call call, Instant at) {
        if (call.callbackOf != null) {
            callbacks.callerAnswered(call, at);
        }
    }

    @Override
    public void calleeFailed(Call call, Leg leg, Instant at) {
        String outcome = Parties.outcomeOf(leg);
        if (call.callbackOf != null) {
            callbacks.callerNotReached(call, outcome, at);
        }
        parties.failCall(call, outcome, Parties.reasonFor(outcome), at);
    }
}
