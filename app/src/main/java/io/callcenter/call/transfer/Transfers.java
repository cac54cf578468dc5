package io.callcenter.call.transfer;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.Commands;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Target;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.parties.Parties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Transfers of a call's customer to a target, on the call's lane: blind (the agent leaves at once, the target is
 * rung into the call's bridge) and attended (the agent consults the target in a bridge of their own while the
 * customer waits, then completes or cancels). The call's main bridge, and so its recording, never changes. Each
 * transfer is a {@link Transfer} state machine; each step is an event of the call. A step that fails at Asterisk
 * fails the transfer, not the call: the agent gets the customer back (attended) or the customer is told (blind).
 */
public final class Transfers {

    private static final Logger log = LoggerFactory.getLogger(Transfers.class);

    private final Commands asterisk;
    private final AgentDirectory agents;
    private final CallProperties properties;
    private final Clock clock;
    private final Parties parties;

    public Transfers(Parties parties, AgentDirectory agents, CallProperties properties, Clock clock) {
        this.asterisk = parties.commands();
        this.agents = agents;
        this.properties = properties;
        this.clock = clock;
        this.parties = parties;
    }

    public String start(Call call, UUID requestedBy, Transfer.Mode mode, Target target) {
        call.requireTalking();
        Leg agentLeg = call.agentLegOf(requestedBy);
        if (call.presentParties() > 2) {
            throw new CommandRefused("conference", "Transfer a call with two parties, not a conference");
        }
        Instant at = clock.instant();
        String consultBridge = mode == Transfer.Mode.ATTENDED ? "consult-" + call.id + "-" + call.legs.size() : null;
        Transfer transfer = new Transfer(mode, agentLeg.channelId, target.description(), consultBridge);
        call.transfer = transfer;
        call.note(at, mode == Transfer.Mode.BLIND ? "blind transfer started" : "attended transfer started", target.description());
        if (mode == Transfer.Mode.BLIND) {
            agentLeg.leaveReason = "transferred";
            parties.hangup(agentLeg, HangupReason.NORMAL);
            holdCustomer(call);
        } else {
            try {
                asterisk.send(new CallCommand.CreateBridge(consultBridge));
                asterisk.send(new CallCommand.RemoveFromBridge(call.bridgeId, agentLeg.channelId));
                agentLeg.joined = false;
                agentLeg.consulting = true;
                asterisk.send(new CallCommand.AddToBridge(consultBridge, agentLeg.channelId));
                asterisk.send(new CallCommand.Ring(agentLeg.channelId));
                call.agentRingbackPlaying = true;
            } catch (AsteriskException e) {
                if (e.isNotFound()) {
                    throw e;
                }
                // The consultation could not be set up: the transfer fails, the conversation goes on as it was.
                log.warn("call {}: attended transfer could not start: {}", call.id, e.getMessage());
                returnAgent(call, transfer, Transfer.State.FAILED, "transfer failed");
                throw new CommandRefused("transfer-failed", "The transfer could not be started: " + e.getMessage());
            }
            holdCustomer(call);
        }
        Leg targetLeg = parties.dial(call, Leg.Role.TRANSFER_TARGET, target, at);
        transfer.targetLegId = targetLeg.channelId;
        if (target.agentId() != null) {
            call.reservedAgents.add(target.agentId());
        }
        return targetLeg.channelId;
    }

    public void targetAnswered(Call call, Transfer transfer, Leg target, Instant at) {
        Leg agentLeg = call.legs.get(transfer.agentLegId);
        if (transfer.mode == Transfer.Mode.BLIND || agentLeg == null || !agentLeg.live()) {
            // Blind, or the agent hung up while it rang: the target takes the call straight away.
            transfer.moveTo(Transfer.State.COMPLETED);
            unholdCustomer(call);
            takeOver(call, target);
            call.note(at, "transfer completed", transfer.target);
            parties.announceThenJoin(call, target, at);
            return;
        }
        transfer.moveTo(Transfer.State.CONSULTING);
        stopAgentRingback(call, agentLeg);
        asterisk.send(new CallCommand.AddToBridge(transfer.consultBridgeId, target.channelId));
        call.note(at, "consulting transfer target", transfer.target);
    }

    public String complete(Call call, UUID requestedBy) {
        Transfer transfer = call.transfer;
        if (transfer == null || transfer.state() != Transfer.State.CONSULTING) {
            throw new CommandRefused("no-consultation", "No consultation with a transfer target to complete");
        }
        Leg target = call.legs.get(transfer.targetLegId);
        Leg agentLeg = call.legs.get(transfer.agentLegId);
        requireTransferringAgent(agentLeg, requestedBy);
        Instant at = clock.instant();
        transfer.moveTo(Transfer.State.COMPLETED);
        removeQuietly(transfer.consultBridgeId, target);
        unholdCustomer(call);
        parties.join(call, target, at);
        takeOver(call, target);
        if (agentLeg != null && agentLeg.live()) {
            agentLeg.consulting = false;
            agentLeg.leaveReason = "transferred";
            parties.hangup(agentLeg, HangupReason.NORMAL);
        }
        destroyConsultBridge(call);
        call.note(at, "transfer completed", transfer.target);
        return target.channelId;
    }

    public String cancel(Call call, UUID requestedBy) {
        Transfer transfer = call.transfer;
        if (transfer == null || !transfer.inProgress() || transfer.mode != Transfer.Mode.ATTENDED) {
            throw new CommandRefused("no-consultation", "No attended transfer to cancel");
        }
        requireTransferringAgent(call.legs.get(transfer.agentLegId), requestedBy);
        Leg target = call.legs.get(transfer.targetLegId);
        if (target != null && target.live()) {
            target.leaveReason = "cancelled";
            parties.hangup(target, HangupReason.NORMAL);
        }
        returnAgent(call, transfer, Transfer.State.CANCELLED, "transfer cancelled");
        return transfer.agentLegId;
    }

    /** Whether a leg that answered is this transfer's target; if so the transfer moves on. */
    public boolean answered(Call call, Leg leg, Instant at) {
        Transfer transfer = call.transfer;
        if (leg.role != Leg.Role.TRANSFER_TARGET || transfer == null || !leg.channelId.equals(transfer.targetLegId)) {
            return false;
        }
        leg.answeredAt = at;
        targetAnswered(call, transfer, leg, at);
        return true;
    }

    /** A party left: the transfer's target (the transfer fails) or the consulting agent (as on a desk phone, that
     * hands the customer to the target). */
    public void legGone(Call call, Leg leg, Instant at) {
        Transfer transfer = call.transfer;
        if (transfer == null) {
            return;
        }
        if (leg.role == Leg.Role.TRANSFER_TARGET && transfer.inProgress() && leg.channelId.equals(transfer.targetLegId)) {
            targetGone(call, leg, at);
        }
        if (transfer.state() == Transfer.State.CONSULTING && leg.channelId.equals(transfer.agentLegId)) {
            complete(call, null);
        }
    }

    /** The target hung up, did not answer or could not be dialled. */
    public void targetGone(Call call, Leg target, Instant at) {
        Transfer transfer = call.transfer;
        parties.releaseAgentOf(call, target);
        if (transfer.mode == Transfer.Mode.ATTENDED && call.legs.get(transfer.agentLegId).live()) {
            returnAgent(call, transfer, transfer.state() == Transfer.State.CONSULTING
                    ? Transfer.State.CANCELLED : Transfer.State.FAILED, "transfer target " + Parties.outcomeOf(target));
            return;
        }
        // Nobody to go back to: the customer is told, then released.
        transfer.moveTo(Transfer.State.FAILED);
        call.note(at, "transfer failed", transfer.target + " " + Parties.outcomeOf(target));
        call.hangupCause = "transfer_failed";
        unholdCustomer(call);
        call.endAfterPlaybackId = UUID.randomUUID().toString();
        try {
            asterisk.send(new CallCommand.PlayOnBridge(call.bridgeId, call.endAfterPlaybackId, properties.partyFailedSound()));
        } catch (AsteriskException e) {
            parties.hangupAll(call, HangupReason.NORMAL);
        }
    }

    private void returnAgent(Call call, Transfer transfer, Transfer.State outcome, String event) {
        Leg agentLeg = call.legs.get(transfer.agentLegId);
        transfer.moveTo(outcome);
        unholdCustomer(call);
        if (agentLeg != null && agentLeg.live()) {
            stopAgentRingback(call, agentLeg);
            // A transfer that failed while being set up may never have taken the agent out of the conversation.
            boolean apart = agentLeg.consulting || !agentLeg.joined;
            agentLeg.consulting = false;
            if (apart) {
                removeQuietly(transfer.consultBridgeId, agentLeg);
                asterisk.send(new CallCommand.AddToBridge(call.bridgeId, agentLeg.channelId));
                agentLeg.joinedAt(clock.instant());
            }
        }
        destroyConsultBridge(call);
        call.note(clock.instant(), event, transfer.target);
    }

    /** Only the agent who started a transfer completes or cancels it (the agent hanging up completes it too). */
    private static void requireTransferringAgent(Leg agentLeg, UUID requestedBy) {
        if (requestedBy != null && (agentLeg == null || !requestedBy.equals(agentLeg.agentId))) {
            throw new CommandRefused("not-transferring", "Only the agent who started the transfer can finish it");
        }
    }

    /** Out of a bridge; a channel that hung up meanwhile (or never got in) is out already. */
    private void removeQuietly(String bridgeId, Leg leg) {
        try {
            asterisk.send(new CallCommand.RemoveFromBridge(bridgeId, leg.channelId));
        } catch (AsteriskException e) {
            log.debug("{} not in {}: {}", leg.channelId, bridgeId, e.getMessage());
        }
    }

    /** The target now owns the call: it counts for them (history, wrap-up) from here on. */
    private void takeOver(Call call, Leg target) {
        if (target.agentId != null) {
            call.agentId = target.agentId;
        }
    }

    private void holdCustomer(Call call) {
        call.holdPlaybackId = UUID.randomUUID().toString();
        try {
            asterisk.send(new CallCommand.PlayOnBridge(call.bridgeId, call.holdPlaybackId, properties.holdSound()));
        } catch (AsteriskException e) {
            log.debug("call {}: hold sound failed: {}", call.id, e.getMessage());
        }
    }

    private void unholdCustomer(Call call) {
        if (call.holdPlaybackId != null) {
            asterisk.send(new CallCommand.StopPlayback(call.holdPlaybackId));
            call.holdPlaybackId = null;
        }
    }

    public void stopAgentRingback(Call call, Leg agentLeg) {
        if (call.agentRingbackPlaying) {
            call.agentRingbackPlaying = false;
            try {
                asterisk.send(new CallCommand.StopRinging(agentLeg.channelId));
            } catch (AsteriskException e) {
                log.debug("call {}: ringback already stopped: {}", call.id, e.getMessage());
            }
        }
    }

    public void destroyConsultBridge(Call call) {
        if (call.transfer != null && call.transfer.consultBridgeId != null && !call.transfer.consultBridgeDestroyed) {
            call.transfer.consultBridgeDestroyed = true;
            try {
                asterisk.send(new CallCommand.DestroyBridge(call.transfer.consultBridgeId));
            } catch (AsteriskException e) {
                log.debug("call {}: consultation bridge already gone: {}", call.id, e.getMessage());
            }
        }
    }
}
