package io.callcenter.call.inbound;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.call.Direction;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.lifecycle.EnteringFlow;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;
import io.callcenter.call.parties.Parties;
import io.callcenter.routing.PhoneNumbers;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The carrier sends a call to one of our numbers (DID): the caller hears ringback while the team's available agents
 * are rung one after the other, longest idle first. Nobody left to ring, or a number nobody owns: the caller hears
 * a message, never silence, and is released.
 */
public final class InboundFlow implements EnteringFlow {

    private final Parties parties;
    private final AgentDirectory agents;
    private final RoutingService routing;
    private final CallProperties properties;

    public InboundFlow(Parties parties, AgentDirectory agents, RoutingService routing, CallProperties properties) {
        this.parties = parties;
        this.agents = agents;
        this.routing = routing;
        this.properties = properties;
    }

    @Override
    public Origin origin() {
        return Origin.INBOUND;
    }

    @Override
    public String argument() {
        return "inbound";
    }

    @Override
    public Call begin(UUID callId, StasisStart start, Consumer<Call> register) {
        ChannelSnapshot channel = start.channel();
        String from = PhoneNumbers.toE164(channel.callerNumber(), properties.defaultRegion())
                .orElse(channel.callerNumber().isBlank() ? "anonymous" : channel.callerNumber());
        String to = PhoneNumbers.toE164(channel.dialplanExten(), properties.defaultRegion()).orElse(channel.dialplanExten());
        Call call = Call.start(callId, Origin.INBOUND, Direction.INBOUND, from, to, start.at(), "inbound call");
        register.accept(call);
        call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, Parties.endpointOf(channel), from, null, start.at()));

        Optional<Team> team = routing.teamForNumber(to);
        if (team.isEmpty()) {
            parties.announce(call, properties.unknownNumberSound(), HangupReason.UNALLOCATED, "unallocated_number", start.at());
            return call;
        }
        call.applyTeam(team.get());
        call.huntList = new ArrayList<>(agents.availableInTeam(team.get().id()).stream().map(Agent::id).toList());
        // 180 towards the carrier: the caller hears ringback while agents' phones ring.
        parties.commands().send(new CallCommand.Ring(channel.id()));
        call.callerRingbackSent = true;
        ringNextAgent(call, start.at());
        return call;
    }

    @Override
    public void calleeFailed(Call call, Leg leg, Instant at) {
        call.note(at, "agent did not answer", leg.endpoint + " " + Parties.outcomeOf(leg));
        ringNextAgent(call, at);
    }

    /**
     * The next agent still free: reserved for this call before their phone rings, so no other call takes them;
     * skipped if someone else got them first or their phone is gone.
     */
    private void ringNextAgent(Call call, Instant at) {
        while (!call.huntList.isEmpty()) {
            UUID agentId = call.huntList.removeFirst();
            Optional<Agent> agent = agents.byId(agentId);
            if (agent.isEmpty() || !agents.tryReserve(agentId, call.id)) {
                continue;
            }
            if (!agents.reachableAndIdle(agent.get())) {
                agents.release(agentId, call.id);
                continue;
            }
            call.reservedAgents.add(agentId);
            parties.ringCallee(call, agent.get().sipEndpoint(), agent.get().extension(), agentId,
                    Parties.callerId(call.fromNumber, call.fromNumber), properties.agentRingTimeout(), at,
                    "ringing agent " + agent.get().extension());
            return;
        }
        parties.announce(call, properties.noAgentSound(), HangupReason.NORMAL, "no_agent_available", at);
    }
}
