package io.callcenter.call.parties;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent.DialResult;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.Commands;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Target;
import io.callcenter.web.SharedContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The mechanics every flow shares: dialling a leg (created, then dialled once it is in our application), relaying
 * ringing, answering the caller, joining the conversation, announcements, hanging up. No flow talks to Asterisk
 * any other way than through these and {@link Commands}.
 */
public final class Parties {

    private static final Logger log = LoggerFactory.getLogger(Parties.class);

    /** The channel argument that marks a channel we created as a leg of an existing call. */
    public static final String LEG = "leg";
    public static final String AUTO_ANSWER_HEADER = SharedContract.AUTO_ANSWER_HEADER;

    /** Who is told when a leg we dialled could not be dialled at all. */
    public interface DialFailures {
        void dialFailed(Call call, Leg leg, Instant at);
    }

    private final Commands asterisk;
    private final AgentDirectory agents;
    private final CallProperties properties;
    private final Clock clock;
    private DialFailures dialFailures = (call, leg, at) -> {
    };

    public Parties(Commands asterisk, AgentDirectory agents, CallProperties properties, Clock clock) {
        this.asterisk = asterisk;
        this.agents = agents;
        this.properties = properties;
        this.clock = clock;
    }

    /** Set once by the engine, which routes a failed dial to the room the leg belongs to. */
    public void reportDialFailuresTo(DialFailures dialFailures) {
        this.dialFailures = dialFailures;
    }

    public Commands commands() {
        return asterisk;
    }

    // ---------------------------------------------------------------- dialling

    /**
     * Rings the one the caller wants to talk to; the call is RINGING until they answer or fail. The conversation's
     * bridge is made once someone answers (CallLifecycle.calleeAnswered), after the caller's answer: one round trip less
     * before the carrier hears the 200, and none at all for a call nobody answers.
     */
    public void ringCallee(Call call, String endpoint, String number, UUID agentId, Map<String, String> variables,
                           Duration ringTimeout, Instant at, String event) {
        call.moveTo(CallState.RINGING, at, event, endpoint);
        dial(call, Leg.Role.CALLEE, endpoint, number, agentId, variables, ringTimeout, at);
    }

    /** Rings a number through the carrier trunk with the team's caller ID. */
    public void ringNumber(Call call, String number, String callerIdNumber, String callerIdName, Instant at) {
        ringCallee(call, properties.trunkChannel(number), number, null, callerId(callerIdNumber, callerIdName),
                properties.outboundRingTimeout(), at, "dialling out through " + properties.trunkEndpoint());
    }

    /**
     * Rings a colleague for an agent's internal call: the colleague must be free (reserved for this call here, so a
     * second call cannot take them meanwhile) and their phone registered; otherwise the call fails as busy or
     * unavailable, as a desk phone would tell it.
     */
    public void ringColleague(Call call, Agent caller, Agent colleague, Instant at) {
        if (colleague.id().equals(caller.id()) || !agents.tryReserve(colleague.id(), call.id)) {
            failCall(call, "busy", HangupReason.BUSY, at);
            return;
        }
        call.reservedAgents.add(colleague.id());
        if (!agents.reachableAndIdle(colleague)) {
            boolean reachable = agents.isReachable(colleague);
            failCall(call, reachable ? "busy" : "unavailable", reachable ? HangupReason.BUSY : HangupReason.CONGESTION, at);
            return;
        }
        ringCallee(call, colleague.sipEndpoint(), colleague.extension(), colleague.id(),
                callerId(caller.extension(), caller.displayName()), properties.outboundRingTimeout(), at,
                "ringing extension " + colleague.extension());
    }

    /**
     * A new outgoing leg, made and dialled in one request; the call's state is the caller's business. It enters our
     * application once answered (see {@link #entered}): one round trip and one event less before the far end rings
     * than creating it in the application, waiting for its StasisStart and dialling it.
     */
    public Leg dial(Call call, Leg.Role role, String endpoint, String number, UUID agentId,
                    Map<String, String> variables, Duration ringTimeout, Instant at) {
        String channelId = UUID.randomUUID().toString();
        Leg leg = call.addLeg(new Leg(channelId, role, endpoint, number, agentId, at));
        try {
            leg.outsideApplication = true;
            asterisk.send(new CallCommand.CreateChannel(call.id, channelId, endpoint, variables, ringTimeout));
        } catch (AsteriskException e) {
            dialFailed(call, leg, e);
        }
        return leg;
    }

    public Leg dial(Call call, Leg.Role role, Target target, Instant at) {
        return dial(call, role, target.endpoint(), target.number(), target.agentId(),
                new LinkedHashMap<>(target.variables()), properties.outboundRingTimeout(), at);
    }

    /** The agent rung on a leg that failed is free for other calls again. */
    public void releaseAgentOf(Call call, Leg leg) {
        if (leg.agentId != null) {
            agents.release(leg.agentId, call.id);
            call.reservedAgents.remove(leg.agentId);
        }
    }

    /** See {@link Call#callerPromptPlaybackId}; a prompt already over answers 404, which is fine. */
    public void stopCallerPrompt(Call call) {
        String playbackId = call.callerPromptPlaybackId;
        if (playbackId == null) {
            return;
        }
        call.callerPromptPlaybackId = null;
        try {
            asterisk.send(new CallCommand.StopPlayback(playbackId));
        } catch (AsteriskException e) {
            log.debug("call {}: caller prompt already over: {}", call.id, e.getMessage());
        }
    }

    /** Asterisk announced why a leg is going (Q.850); its StasisEnd, which says nothing, comes next. */
    public void hangupRequested(Call call, String channelId, int cause) {
        call.leg(channelId).ifPresent(leg -> leg.requestedCause = cause);
    }

    /**
     * A channel of the call entered our application. For a leg we originated that is its answer (true): only now can
     * it join a bridge, so the engine takes this, not the ringing events before it, as the moment it answered.
     */
    public boolean entered(Call call, String channelId) {
        Leg leg = call.leg(channelId).orElse(null);
        if (leg == null || !leg.outsideApplication) {
            return false;
        }
        leg.outsideApplication = false;
        return leg.live();
    }

    private void dialFailed(Call call, Leg leg, AsteriskException e) {
        log.warn("call {}: could not dial {}: {}", call.id, leg.endpoint, e.getMessage());
        hangup(leg, HangupReason.NORMAL);
        leg.ended(clock.instant(), 0, "dial failed: " + e.getMessage());
        dialFailures.dialFailed(call, leg, clock.instant());
    }

    /** Ringing and failures of a leg we dialled; its answer is the engine's to route. */
    public void dialProgress(Call call, Leg leg, DialResult dial) {
        switch (dial.status()) {
            case "RINGING" -> {
                // Relay 180 to the caller, who has heard nothing since dialling (inbound callers already got one).
                // Not for the caller's own leg ringing: a call placed by the app rings the agent's phone first, and a
                // softphone sends 180 an instant before it auto-answers.
                Leg caller = call.caller();
                if (leg != caller && !call.callerRingbackSent && caller.answeredAt == null && caller.live()) {
                    call.callerRingbackSent = true;
                    asterisk.send(new CallCommand.Ring(caller.channelId));
                }
            }
            case "BUSY", "NOANSWER", "CONGESTION", "CHANUNAVAIL", "CANCEL" -> {
                leg.dialStatus = dial.status();
                if (leg.role == Leg.Role.CALLER && call.hangupCause == null) {
                    call.hangupCause = "agent_phone_" + outcomeOf(leg);
                }
                hangup(leg, HangupReason.NORMAL);
            }
            default -> log.debug("call {}: dial {} {}", call.id, leg.endpoint, dial.status());
        }
    }

    // ---------------------------------------------------------------- the conversation

    public void ensureBridge(Call call) {
        if (!call.bridgeCreated) {
            asterisk.send(new CallCommand.CreateBridge(call.bridgeId));
            call.bridgeCreated = true;
        }
    }

    public void answerCaller(Call call, Instant at) {
        Leg caller = call.caller();
        if (caller.answeredAt == null) {
            asterisk.send(new CallCommand.Answer(caller.channelId));
            caller.answeredAt = at;
        }
    }

    /** A party answered later (conference, transfer): the recording announcement first (consent), then the others. */
    public void announceThenJoin(Call call, Leg leg, Instant at) {
        if (call.recordingName != null && call.recordingAnnouncement != null) {
            leg.joiningPlaybackId = UUID.randomUUID().toString();
            asterisk.send(new CallCommand.Play(leg.channelId, leg.joiningPlaybackId, call.recordingAnnouncement));
            call.note(at, "recording announced to joining party", leg.endpoint);
        } else {
            join(call, leg, at);
        }
    }

    public void join(Call call, Leg leg, Instant at) {
        leg.joiningPlaybackId = null;
        if (leg.answeredAt == null) {
            leg.answeredAt = at;
        }
        asterisk.send(new CallCommand.AddToBridge(call.bridgeId, leg.channelId));
        leg.joinedAt(at);
        call.note(at, leg.role == Leg.Role.PARTICIPANT ? "participant joined" : "transfer target joined", leg.endpoint);
    }

    /** The caller hears a message and is then hung up ({@code then}); nobody else stays on the line. */
    public void announce(Call call, String media, HangupReason then, String cause, Instant at) {
        call.hangupCause = cause;
        call.announcementHangup = then;
        hangupCallees(call);
        call.moveTo(CallState.ANNOUNCING, at, "announcement", cause + ": " + media);
        answerCaller(call, at);
        call.announcementPlaybackId = UUID.randomUUID().toString();
        asterisk.send(new CallCommand.Play(call.caller().channelId, call.announcementPlaybackId, media));
    }

    /** Tells whoever is in the bridge (a party could not be added); the conversation goes on if this fails. */
    public void playQuietly(String bridgeId, String media) {
        try {
            asterisk.send(new CallCommand.PlayOnBridge(bridgeId, UUID.randomUUID().toString(), media));
        } catch (AsteriskException e) {
            log.debug("play {} on {} failed: {}", media, bridgeId, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- ending

    public void failCall(Call call, String outcome, HangupReason reason, Instant at) {
        call.hangupCause = outcome;
        hangupAll(call, reason);
        call.moveTo(CallState.ENDING, at, "call failed", outcome);
    }

    public void hangupCallees(Call call) {
        call.liveLegs().stream().filter(leg -> leg.role == Leg.Role.CALLEE).forEach(leg -> hangup(leg, HangupReason.NORMAL));
    }

    public void hangupAll(Call call, HangupReason reason) {
        call.liveLegs().forEach(leg -> hangup(leg, reason));
    }

    public void hangup(Leg leg, HangupReason reason) {
        if (!leg.live() || leg.hangupRequested) {
            return;
        }
        leg.hangupRequested = true;
        try {
            asterisk.send(new CallCommand.Hangup(leg.channelId, reason));
        } catch (AsteriskException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            // Already gone and we missed its end (e.g. while disconnected).
            leg.ended(clock.instant(), 0, "already gone");
        }
    }

    /** A channel that is no call's (unknown arguments, left over from before a restart). */
    public void hangupQuietly(String channelId, HangupReason reason) {
        try {
            asterisk.send(new CallCommand.Hangup(channelId, reason));
        } catch (AsteriskException e) {
            log.debug("hangup of {} failed: {}", channelId, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- what legs are told and what they tell us

    /**
     * Identity shown to the called party. chan_pjsip builds an outgoing INVITE's From (and P-Asserted-Identity)
     * from the channel's connected line, which Dial() would copy from the caller; a channel we create has none,
     * so we set it ourselves ("i": store only, no connected-line update is sent before the call exists).
     */
    public static Map<String, String> callerId(String number, String name) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("CALLERID(num)", number);
        variables.put("CALLERID(name)", name);
        variables.put("CONNECTEDLINE(num,i)", number);
        variables.put("CONNECTEDLINE(name,i)", name);
        return variables;
    }

    /**
     * Asks the agent's phone to answer at once: our own header for the softphone page, and the same request in the
     * form desk phones understand (Call-Info answer-after). Set as channel variables before the dial, so chan_pjsip
     * puts them on the INVITE.
     */
    public static Map<String, String> autoAnswer(Map<String, String> variables, UUID callId) {
        variables.put("PJSIP_HEADER(add," + AUTO_ANSWER_HEADER + ")", callId.toString());
        variables.put("PJSIP_HEADER(add,Call-Info)", "<sip:callcenter>;answer-after=0");
        return variables;
    }

    public static String endpointOf(ChannelSnapshot channel) {
        return channel.technology() + "/" + channel.endpointResource();
    }

    /** Why a leg never got to talk, in the words of the call record. */
    public static String outcomeOf(Leg leg) {
        if (leg.dialStatus != null) {
            return switch (leg.dialStatus) {
                case "BUSY" -> "busy";
                case "NOANSWER" -> "no_answer";
                case "CHANUNAVAIL" -> "unavailable";
                default -> "failed";
            };
        }
        int cause = leg.hangupCause == null ? 0 : leg.hangupCause;
        return switch (cause) {
            case 17 -> "busy";
            case 18, 19 -> "no_answer";
            case 21 -> "rejected";
            case 1, 3, 28 -> "unallocated";
            case 20 -> "unavailable";
            default -> "failed";
        };
    }

    /** The hangup a failed callee's outcome becomes for the caller. */
    public static HangupReason reasonFor(String outcome) {
        return switch (outcome) {
            case "busy" -> HangupReason.BUSY;
            case "no_answer" -> HangupReason.NO_ANSWER;
            case "unallocated" -> HangupReason.UNALLOCATED;
            default -> HangupReason.CONGESTION;
        };
    }
}
