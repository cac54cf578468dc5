package io.callcenter.call;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Transfers of a call's customer to a target, on the call's lane: blind (the agent leaves at once, the target is
 * rung into the call's bridge) and attended (the agent consults the target in a bridge of their own while the
 * customer waits, then completes or cancels). The call's main bridge, and so its recording, never changes. Each
 * transfer is a {@link Transfer} state machine; each step is an event of the call.
 */
final class Transfers {

    private static final Logger log = LoggerFactory.getLogger(Transfers.class);

    /** What transfers need of the engine: legs dialled, joined to the conversation, hung up. */
    interface Parties {
        Leg dial(Call call, Leg.Role role, CallEngine.Target target, Instant at);

        void hangup(Leg leg);

        void hangupAll(Call call);

        void join(Call call, Leg leg, Instant at);

        /** The party hears the recording announcement (if the call is recorded), then joins. */
        void announceThenJoin(Call call, Leg leg, Instant at);
    }

    private final AsteriskGateway asterisk;
    private final AgentDirectory agents;
    private final CallProperties properties;
    private final Clock clock;
    private final Parties parties;

    Transfers(AsteriskGateway asterisk, AgentDirectory agents, CallProperties properties, Clock clock, Parties parties) {
        this.asterisk = asterisk;
        this.agents = agents;
        this.properties = properties;
        this.clock = clock;
        this.parties = parties;
    }

    String start(Call call, UUID requestedBy, Transfer.Mode mode, CallEngine.Target target) {
        CallEngine.requireTalking(call);
        Leg agentLeg = CallEngine.agentLegOf(call, requestedBy);
        if (call.legs.values().stream().filter(Leg::present).count() > 2) {
            throw new CallEngine.CallCommandRefused("conference", "Transfer a call with two parties, not a conference");
        }
        Instant at = clock.instant();
        String consultBridge = mode == Transfer.Mode.ATTENDED ? "consult-" + call.id + "-" + call.legs.size() : null;
        Transfer transfer = new Transfer(mode, agentLeg.channelId, target.description(), consultBridge);
        call.transfer = transfer;
        call.note(at, mode == Transfer.Mode.BLIND ? "blind transfer started" : "attended transfer started", target.description());
        if (mode == Transfer.Mode.BLIND) {
            agentLeg.leaveReason = "transferred";
            parties.hangup(agentLeg);
            holdCustomer(call);
        } else {
            asterisk.createBridge(consultBridge, consultBridge);
            asterisk.removeFromBridge(call.bridgeId, agentLeg.channelId);
            agentLeg.joined = false;
            agentLeg.consulting = true;
            asterisk.addToBridge(consultBridge, agentLeg.channelId);
            asterisk.ring(agentLeg.channelId);
            call.agentRingbackPlaying = true;
            holdCustomer(call);
        }
        Leg targetLeg = parties.dial(call, Leg.Role.TRANSFER_TARGET, target, at);
        transfer.targetLegId = targetLeg.channelId;
        if (target.agentId() != null) {
            call.reservedAgents.add(target.agentId());
        }
        return targetLeg.channelId;
    }

    void targetAnswered(Call call, Transfer transfer, Leg target, Instant at) {
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
        asterisk.addToBridge(transfer.consultBridgeId, target.channelId);
        call.note(at, "consulting transfer target", transfer.target);
    }

    String complete(Call call, UUID requestedBy) {
        Transfer transfer = call.transfer;
        if (transfer == null || transfer.state() != Transfer.State.CONSULTING) {
            throw new CallEngine.CallCommandRefused("no-consultation", "No consultation with a transfer target to complete");
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
            parties.hangup(agentLeg);
        }
        destroyConsultBridge(call);
        call.note(at, "transfer completed", transfer.target);
        return target.channelId;
    }

    String cancel(Call call, UUID requestedBy) {
        Transfer transfer = call.transfer;
        if (transfer == null || !transfer.inProgress() || transfer.mode != Transfer.Mode.ATTENDED) {
            throw new CallEngine.CallCommandRefused("no-consultation", "No attended transfer to cancel");
        }
        requireTransferringAgent(call.legs.get(transfer.agentLegId), requestedBy);
        Leg target = call.legs.get(transfer.targetLegId);
        if (target != null && target.live()) {
            target.leaveReason = "cancelled";
            parties.hangup(target);
        }
        returnAgent(call, transfer, Transfer.State.CANCELLED, "transfer cancelled");
        return transfer.agentLegId;
    }

    /** The target hung up, did not answer or could not be dialled. */
    void targetGone(Call call, Leg target, Instant at) {
        Transfer transfer = call.transfer;
        if (target.agentId != null) {
            agents.release(target.agentId, call.id);
            call.reservedAgents.remove(target.agentId);
        }
        if (transfer.mode == Transfer.Mode.ATTENDED && call.legs.get(transfer.agentLegId).live()) {
            returnAgent(call, transfer, transfer.state() == Transfer.State.CONSULTING
                    ? Transfer.State.CANCELLED : Transfer.State.FAILED, "transfer target " + CallEngine.outcomeOf(target));
            return;
        }
        // Nobody to go back to: the customer is told, then released.
        transfer.moveTo(Transfer.State.FAILED);
        call.note(at, "transfer failed", transfer.target + " " + CallEngine.outcomeOf(target));
        call.hangupCause = "transfer_failed";
        unholdCustomer(call);
        call.endAfterPlaybackId = UUID.randomUUID().toString();
        try {
            asterisk.playOnBridge(call.bridgeId, call.endAfterPlaybackId, properties.partyFailedSound());
        } catch (AsteriskException e) {
            parties.hangupAll(call);
        }
    }

    private void returnAgent(Call call, Transfer transfer, Transfer.State outcome, String event) {
        Leg agentLeg = call.legs.get(transfer.agentLegId);
        transfer.moveTo(outcome);
        unholdCustomer(call);
        if (agentLeg != null && agentLeg.live()) {
            stopAgentRingback(call, agentLeg);
            agentLeg.consulting = false;
            removeQuietly(transfer.consultBridgeId, agentLeg);
            asterisk.addToBridge(call.bridgeId, agentLeg.channelId);
            agentLeg.joinedAt(clock.instant());
        }
        destroyConsultBridge(call);
        call.note(clock.instant(), event, transfer.target);
    }

    /** Only the agent who started a transfer completes or cancels it (the agent hanging up completes it too). */
    private static void requireTransferringAgent(Leg agentLeg, UUID requestedBy) {
        if (requestedBy != null && (agentLeg == null || !requestedBy.equals(agentLeg.agentId))) {
            throw new CallEngine.CallCommandRefused("not-transferring", "Only the agent who started the transfer can finish it");
        }
    }

    /** Out of a bridge; a channel that hung up meanwhile is out already. */
    private void removeQuietly(String bridgeId, Leg leg) {
        try {
            asterisk.removeFromBridge(bridgeId, leg.channelId);
        } catch (AsteriskException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            log.debug("{} already out of {}: {}", leg.channelId, bridgeId, e.getMessage());
        }
    }

    /** The target now owns the call: it counts for them (history, wrap-up) from here on. */
    private void takeOver(Call call, Leg target) {
        if (target.agentId != null) {
            call.agentId = target.agentId;
        }
    }

    /** Whether a transfer's customer side is still there, waiting (blind: ringing the target; attended: on hold). */
    boolean customerWaiting(Call call) {
        Transfer transfer = call.transfer;
        return call.legs.values().stream()
                .anyMatch(leg -> leg.present() && !leg.channelId.equals(transfer.agentLegId)
                        && !leg.channelId.equals(transfer.targetLegId));
    }

    private void holdCustomer(Call call) {
        call.holdPlaybackId = UUID.randomUUID().toString();
        try {
            asterisk.playOnBridge(call.bridgeId, call.holdPlaybackId, properties.holdSound());
        } catch (AsteriskException e) {
            log.debug("call {}: hold sound failed: {}", call.id, e.getMessage());
        }
    }

    private void unholdCustomer(Call call) {
        if (call.holdPlaybackId != null) {
            asterisk.stopPlayback(call.holdPlaybackId);
            call.holdPlaybackId = null;
        }
    }

    void stopAgentRingback(Call call, Leg agentLeg) {
        if (call.agentRingbackPlaying) {
            call.agentRingbackPlaying = false;
            try {
                asterisk.stopRinging(agentLeg.channelId);
            } catch (AsteriskException e) {
                log.debug("call {}: ringback already stopped: {}", call.id, e.getMessage());
            }
        }
    }

    void destroyConsultBridge(Call call) {
        if (call.transfer != null && call.transfer.consultBridgeId != null && !call.transfer.consultBridgeDestroyed) {
            call.transfer.consultBridgeDestroyed = true;
            try {
                asterisk.destroyBridge(call.transfer.consultBridgeId);
            } catch (AsteriskException e) {
                log.debug("call {}: consultation bridge already gone: {}", call.id, e.getMessage());
            }
        }
    }
}
