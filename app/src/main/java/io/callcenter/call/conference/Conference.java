package io.callcenter.call.conference;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.CallState;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Target;
import io.callcenter.call.parties.Parties;
import io.callcenter.web.SharedContract;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;

/**
 * Three-way calls: an agent dials a third party while the others keep talking; the new party hears the recording
 * announcement, then joins the call's bridge. The call goes on while two parties remain, whoever leaves (the
 * call's lifecycle counts the parties present). One mixing bridge per call holds everyone, so the recording covers
 * the whole conference.
 */
public final class Conference {

    public static final int MAX_PARTIES = SharedContract.MAX_PARTIES;

    private final Parties parties;
    private final AgentDirectory agents;
    private final CallProperties properties;
    private final Clock clock;

    public Conference(Parties parties, AgentDirectory agents, CallProperties properties, Clock clock) {
        this.parties = parties;
        this.agents = agents;
        this.properties = properties;
        this.clock = clock;
    }

    /** Dials a third party; the others keep talking while it rings. At most three parties. */
    public String addParticipant(Call call, UUID requestedBy, Target target) {
        call.requireTalking();
        call.agentLegOf(requestedBy);
        long parties = call.legs.values().stream()
                .filter(leg -> leg.present() || leg.live() && leg.role == Leg.Role.PARTICIPANT).count();
        if (parties >= MAX_PARTIES) {
            throw new CommandRefused("conference-full", "A call has at most " + MAX_PARTIES + " parties");
        }
        Instant at = clock.instant();
        call.note(at, "adding participant", target.description());
        Leg leg = this.parties.dial(call, Leg.Role.PARTICIPANT, target.endpoint(), target.number(), target.agentId(),
                new LinkedHashMap<>(target.variables()), properties.outboundRingTimeout(), at);
        if (target.agentId() != null) {
            call.reservedAgents.add(target.agentId());
        }
        return leg.channelId;
    }

    /** The participant answered: they hear the recording announcement (consent), then join the others. */
    public void answered(Call call, Leg leg, Instant at) {
        leg.answeredAt = at;
        if (call.state() != CallState.TALKING) {
            parties.hangup(leg, HangupReason.NORMAL);
            return;
        }
        parties.announceThenJoin(call, leg, at);
    }

    /** A participant who left before answering was never reached; the others are told and talk on. */
    public void legGone(Call call, Leg leg, Instant at) {
        if (call.state() == CallState.TALKING && leg.role == Leg.Role.PARTICIPANT && leg.answeredAt == null) {
            notReached(call, leg, at);
        }
    }

    public void notReached(Call call, Leg leg, Instant at) {
        parties.releaseAgentOf(call, leg);
        call.note(at, "participant not reached", leg.endpoint + " " + Parties.outcomeOf(leg));
        if (call.state() == CallState.TALKING) {
            parties.playQuietly(call.bridgeId, properties.partyFailedSound());
        }
    }
}
