package io.callcenter.call.lifecycle;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent.PlaybackFinished;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.CallState;
import io.callcenter.call.Direction;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.limit.TalkTimeLimit;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.transfer.Transfers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The life of every call, whatever its flow: the callee answering (the two are bridged, talk time starts), the
 * transitions that follow from who is still there ({@link #settle}, after every event), the end once the last leg
 * is gone, and the safe way out when something unexpected happens.
 *
 * <pre>
 * ROUTING ──> RINGING ──> TALKING ──> ENDING ──> ENDED
 *    │           │  ↺ (next agent)       ↑
 *    └──> ANNOUNCING <┘ ─────────────────┘
 * </pre>
 */
public final class CallLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);

    private final Parties parties;
    private final AgentDirectory agents;
    private final TalkTimeLimit limit;
    private final Transfers transfers;
    private final Clock clock;

    public CallLifecycle(Parties parties, AgentDirectory agents, TalkTimeLimit limit, Transfers transfers, Clock clock) {
        this.parties = parties;
        this.agents = agents;
        this.limit = limit;
        this.transfers = transfers;
        this.clock = clock;
    }

    /**
     * The callee answered: if we still want them, caller and callee are bridged and the call is TALKING (true).
     * A late answer from a leg we gave up on (the caller left, a later agent was chosen) is hung up (false).
     */
    /** Whether this callee answering connects the call (else it answered too late and is hung up). */
    public boolean connects(Call call, Leg leg) {
        return call.state() == CallState.RINGING && (call.ringingCalleeIs(leg)
                || call.ringAll && leg.role == Leg.Role.CALLEE && leg.live() && leg.answeredAt == null);
    }

    public boolean calleeAnswered(Call call, Leg leg, Instant at) {
        boolean wanted = connects(call, leg);
        leg.answeredAt = at;
        if (!wanted) {
            parties.hangup(leg, HangupReason.ANSWERED_ELSEWHERE);
            return false;
        }
        Leg caller = call.caller();
        parties.answerCaller(call, at);
        if (call.agentRingbackPlaying) {
            call.agentRingbackPlaying = false;
            parties.commands().send(new CallCommand.StopRinging(caller.channelId));
        }
        parties.stopCallerPrompt(call);
        parties.ensureBridge(call);
        parties.commands().send(new CallCommand.AddToBridge(call.bridgeId, caller.channelId));
        parties.commands().send(new CallCommand.AddToBridge(call.bridgeId, leg.channelId));
        caller.joinedAt(at);
        leg.joinedAt(at);
        limit.backstop(call);
        call.answeredAt = at;
        limit.schedule(call, at);
        if (leg.agentId != null && call.direction == Direction.INBOUND) {
            call.agentId = leg.agentId;
        }
        call.moveTo(CallState.TALKING, at, "answered", leg.endpoint);
        return true;
    }

    /** A leg is gone: recorded on the leg, and noted when it was someone in the conversation. */
    public void legEnded(Call call, Leg leg, Instant at, int cause, String causeText) {
        boolean wasPresent = leg.present();
        leg.ended(at, cause, causeText);
        if (wasPresent) {
            call.lastDeparture = leg;
            if (call.state() == CallState.TALKING && call.hangupCause == null) {
                call.note(at, "party left", leg.endpoint + " (" + leg.leaveReason + ")");
            }
        }
    }

    /** Announcements end in a hangup; a failed transfer's message ends the call; a joining party joins. */
    public void playbackFinished(Call call, PlaybackFinished finished) {
        if (call.state() == CallState.ANNOUNCING && finished.playbackId().equals(call.announcementPlaybackId)) {
            parties.hangup(call.caller(), call.announcementHangup);
            return;
        }
        if (finished.playbackId().equals(call.endAfterPlaybackId)) {
            parties.hangupAll(call, HangupReason.NORMAL);
            return;
        }
        call.legs.values().stream()
                .filter(leg -> finished.playbackId().equals(leg.joiningPlaybackId) && leg.live())
                .findFirst()
                .ifPresent(leg -> parties.join(call, leg, finished.at()));
    }

    /**
     * Derives the transitions that follow from which legs are still up. Runs after every handled event, so a leg
     * that vanished by any route (event, 404 on hangup, reconciliation) moves the call on exactly once.
     */
    public void settle(Call call, Instant at) {
        boolean callerLive = call.legs.values().stream().anyMatch(leg -> leg.role == Leg.Role.CALLER && leg.live());
        switch (call.state()) {
            case ROUTING, RINGING, QUEUED, MENU -> {
                if (!callerLive) {
                    if (call.hangupCause == null) {
                        call.hangupCause = "caller_abandoned";
                    }
                    parties.hangupAll(call, HangupReason.NORMAL);
                    call.moveTo(CallState.ENDING, at, "caller hung up before answer", null);
                }
            }
            case ANNOUNCING, VOICEMAIL -> {
                if (!callerLive) {
                    call.moveTo(CallState.ENDING, at, "caller left", null);
                }
            }
            case TALKING -> {
                // A conference goes on while two parties remain, whoever left; a transfer in progress keeps the
                // waiting customer's call up even though they are alone in the bridge for a while.
                long present = call.presentParties();
                boolean transferring = call.transfer != null && call.transfer.inProgress();
                boolean lastWordsPlaying = call.endAfterPlaybackId != null;
                if (present < 2 && !(present == 1 && (transferring && call.transferCustomerWaiting() || lastWordsPlaying))) {
                    if (call.hangupCause == null) {
                        call.hangupCause = call.lastDeparture != null && call.lastDeparture.role == Leg.Role.CALLER
                                ? "caller_hangup" : "callee_hangup";
                    }
                    parties.hangupAll(call, HangupReason.NORMAL);
                    call.moveTo(CallState.ENDING, at, "party hung up", call.hangupCause);
                }
            }
            case ENDING, ENDED -> {
                // Waiting for the last legs, or done.
            }
        }
        finishIfDone(call, at);
    }

    /** The call ends when its last leg is gone: bridges destroyed, its agents go on to wrap-up. */
    public void finishIfDone(Call call, Instant at) {
        if (call.state() != CallState.ENDING || !call.liveLegs().isEmpty()) {
            return;
        }
        if (call.bridgeCreated) {
            try {
                parties.commands().send(new CallCommand.DestroyBridge(call.bridgeId));
            } catch (AsteriskException e) {
                log.debug("call {}: bridge already gone: {}", call.id, e.getMessage());
            }
        }
        transfers.destroyConsultBridge(call);
        call.endedAt = at.isBefore(call.createdAt) ? call.createdAt : at;
        for (UUID agentId : call.reservedAgents) {
            agents.callEnded(agentId, call.id, call.endedAt, call.wrapUp);
        }
        call.reservedAgents.clear();
        call.moveTo(CallState.ENDED, at, "all legs gone", call.hangupCause);
    }

    /**
     * A channel that vanished under a command (404) is a normal race, e.g. the caller hung up while we answered:
     * its StasisEnd is on its way and will move the call on. Anything else is a bug: end the call cleanly.
     */
    public void recover(Call call, RuntimeException error) {
        if (error instanceof AsteriskException asteriskError && asteriskError.isNotFound()) {
            log.info("call {}: a channel or bridge went away during a command: {}", call.id, error.getMessage());
            settle(call, clock.instant());
            return;
        }
        failSafe(call, error);
    }

    /** Something unexpected: end the call cleanly rather than leave parties in a half-working call. */
    public void failSafe(Call call, RuntimeException error) {
        log.error("call {} failed in state {}; hanging up", call.id, call.state(), error);
        try {
            if (call.hangupCause == null) {
                call.hangupCause = "internal_error";
            }
            parties.hangupAll(call, HangupReason.CONGESTION);
            if (call.state().isLive()) {
                call.moveTo(CallState.ENDING, clock.instant(), "internal error", error.getClass().getSimpleName());
            }
            finishIfDone(call, clock.instant());
        } catch (RuntimeException second) {
            log.error("call {}: fail-safe failed too", call.id, second);
        }
    }
}
