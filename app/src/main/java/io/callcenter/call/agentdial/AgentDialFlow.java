package io.callcenter.call.agentdial;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent.StasisStart;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.call.Direction;
import io.callcenter.call.guard.OutboundGuard;
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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An agent's phone dials: a colleague's extension (internal, never touches the trunk) or a number, which leaves
 * through the carrier with the team's caller ID once the outbound guard allows it. A callee who fails ends the call
 * with their reason (busy, no answer, unallocated), as a desk phone would show it.
 */
public final class AgentDialFlow implements EnteringFlow {

    private final Parties parties;
    private final AgentDirectory agents;
    private final RoutingService routing;
    private final OutboundGuard guard;
    private final CallProperties properties;

    public AgentDialFlow(Parties parties, AgentDirectory agents, RoutingService routing, OutboundGuard guard,
                         CallProperties properties) {
        this.parties = parties;
        this.agents = agents;
        this.routing = routing;
        this.guard = guard;
        this.properties = properties;
    }

    @Override
    public Origin origin() {
        return Origin.AGENT_DIAL;
    }

    @Override
    public String argument() {
        return "dial";
    }

    @Override
    public Call begin(UUID callId, StasisStart start, Consumer<Call> register) {
        ChannelSnapshot channel = start.channel();
        String dialled = channel.dialplanExten();
        Agent caller = agents.byExtension(channel.endpointResource())
                .orElseThrow(() -> new IllegalStateException("channel " + channel.name() + " is not an agent's"));
        Optional<Agent> colleague = agents.byExtension(dialled);
        if (colleague.isPresent()) {
            Call call = Call.start(callId, Origin.AGENT_DIAL, Direction.INTERNAL, caller.extension(), dialled, start.at(),
                    "agent dialled extension");
            register.accept(call);
            call.agentId = caller.id();
            call.teamId = caller.teamId();
            routing.team(caller.teamId()).ifPresent(call::applyTeam);
            callerLeg(call, channel, caller, start.at());
            parties.ringColleague(call, caller, colleague.get(), start.at());
            return call;
        }

        Team team = routing.team(caller.teamId())
                .orElseThrow(() -> new IllegalStateException("agent " + caller.extension() + " has no team"));
        Optional<String> number = PhoneNumbers.toE164(dialled, properties.defaultRegion());
        Call call = Call.start(callId, Origin.AGENT_DIAL, Direction.OUTBOUND, team.callerIdNumber(),
                number.orElse(dialled), start.at(), "agent dialled number");
        register.accept(call);
        call.agentId = caller.id();
        call.applyTeam(team);
        boolean free = callerLeg(call, channel, caller, start.at());
        if (!free) {
            // A desk phone dials on its own, past the app's dialpad: while its agent is reserved for another call
            // (offered, on a call, a dialler's person on the way) a second outbound call is refused.
            call.note(start.at(), "refused: the agent is busy with another call", null);
            parties.announce(call, properties.unknownNumberSound(), HangupReason.CONGESTION, "agent_busy", start.at());
            return call;
        }
        if (number.isEmpty()) {
            parties.announce(call, properties.unknownNumberSound(), HangupReason.UNALLOCATED, "invalid_number", start.at());
            return call;
        }
        Optional<OutboundGuard.Refusal> refusal = guard.check(caller, team, number.get());
        if (refusal.isPresent()) {
            // A desk phone cannot show our reason: the agent hears a refusal, the call record keeps the reason.
            call.note(start.at(), "refused by the outbound guard", refusal.get().detail());
            parties.announce(call, properties.unknownNumberSound(), HangupReason.CONGESTION, refusal.get().cause(), start.at());
            return call;
        }
        parties.ringNumber(call, number.get(), team.callerIdNumber(), team.name(), start.at());
        return call;
    }

    /**
     * The agent's own phone is the caller, and the agent is busy with this call from the first moment; false when
     * another call holds the agent already.
     */
    private boolean callerLeg(Call call, ChannelSnapshot channel, Agent caller, Instant at) {
        call.addLeg(new Leg(channel.id(), Leg.Role.CALLER, Parties.endpointOf(channel), caller.extension(), caller.id(), at));
        if (!agents.tryReserve(caller.id(), call.id)) {
            return false;
        }
        call.reservedAgents.add(caller.id());
        return true;
    }

    @Override
    public void calleeFailed(Call call, Leg leg, Instant at) {
        String outcome = Parties.outcomeOf(leg);
        parties.failCall(call, outcome, Parties.reasonFor(outcome), at);
    }
}
