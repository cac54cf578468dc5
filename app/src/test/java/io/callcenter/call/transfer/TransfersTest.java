package io.callcenter.call.transfer;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.callcenter.call.CallState;
import io.callcenter.call.Direction;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.IllegalCallTransition;
import io.callcenter.call.model.Origin;
import io.callcenter.call.model.Target;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.placed.PlacedCallFlow;

/** Blind and attended transfers, each a state machine of its own. */
class TransfersTest extends CallEngineFixture {

    @Test
    void attended_transfer_consults_apart_then_hands_the_customer_to_the_target() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        asterisk.drain();
        String target = engine.startTransfer(callId, alice.id(), Transfer.Mode.ATTENDED,
                new Target("PJSIP/1002", "1002", bob.id(), java.util.Map.of(), "extension 1002"));
        createdLegsEnterApp();
        String consult = saved().transfer.consultBridgeId;
        assertThat(asterisk.drain()).contains("removeFromBridge " + leg(0), "addToBridge " + leg(0), "ring " + leg(0),
                "playOnBridge " + bridge() + " sound:pls-hold-while-try", "createChannel PJSIP/1002");
        event(new AsteriskEvent.ChannelStateChanged(at(8), channel(target, "PJSIP/1002-1", ChannelState.UP)));
        assertThat(saved().transfer.state()).isEqualTo(Transfer.State.CONSULTING);
        assertThat(asterisk.drain()).containsExactly("stopRinging " + leg(0), "addToBridge " + target);
        assertThat(saved().state()).as("the customer waits on hold").isEqualTo(CallState.TALKING);

        engine.completeTransfer(callId, alice.id());
        assertThat(asterisk.drain()).contains("removeFromBridge " + target, "addToBridge " + target,
                "hangup " + leg(0) + " NORMAL", "destroyBridge " + consult);
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        Call call = saved();
        assertThat(call.state()).isEqualTo(CallState.TALKING);
        assertThat(call.agentId).as("the call is the target's now").isEqualTo(bob.id());
        assertThat(call.legs.get(leg(0)).leaveReason).isEqualTo("transferred");
        assertThat(store.transitionEvents()).contains("attended transfer started", "consulting transfer target", "transfer completed");
    }

    @Test
    void a_blind_transfer_whose_target_does_not_answer_tells_the_customer_and_ends() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        String target = engine.startTransfer(callId, alice.id(), Transfer.Mode.BLIND,
                new Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000"));
        createdLegsEnterApp();
        event(new AsteriskEvent.StasisEnd(at(4), leg(0)));
        assertThat(saved().state()).as("the customer waits while the target rings").isEqualTo(CallState.TALKING);
        asterisk.drain();
        event(new AsteriskEvent.DialResult(at(30), target, "NOANSWER"));
        event(new AsteriskEvent.StasisEnd(at(30), target));
        assertThat(saved().transfer.state()).isEqualTo(Transfer.State.FAILED);
        assertThat(saved().hangupCause).isEqualTo("transfer_failed");
        assertThat(asterisk.drain()).contains("playOnBridge " + bridge() + " sound:cannot-complete-as-dialed");
        event(new AsteriskEvent.PlaybackFinished(at(33), saved().endAfterPlaybackId, Optional.empty(), Optional.of(bridge())));
        assertThat(asterisk.drain()).containsExactly("hangup " + CARRIER_CHANNEL + " NORMAL");
    }

    @Test
    void illegal_transfer_transitions_fail_loudly() {
        Transfer transfer = new Transfer(Transfer.Mode.BLIND, "a", "b", null);
        transfer.moveTo(Transfer.State.COMPLETED);
        assertThatThrownBy(() -> transfer.moveTo(Transfer.State.CONSULTING)).isInstanceOf(IllegalCallTransition.class);
    }

    @Test
    void a_command_failing_while_a_transfer_starts_fails_the_transfer_not_the_call() {
        UUID callId = talkingInbound();
        asterisk.drain();
        asterisk.refuseOnce.add("addToBridge");
        assertThatThrownBy(() -> engine.startTransfer(callId, alice.id(), Transfer.Mode.ATTENDED,
                new Target("PJSIP/1002", "1002", bob.id(), java.util.Map.of(), "extension 1002")))
                .isInstanceOf(CommandRefused.class).hasMessageContaining("could not be started");
        Call call = saved();
        assertThat(call.state()).as("the conversation goes on").isEqualTo(CallState.TALKING);
        assertThat(call.transfer.state()).isEqualTo(Transfer.State.FAILED);
        assertThat(call.legs.get(leg(0)).joined).as("the agent is back with the customer").isTrue();
        assertThat(asterisk.drain()).as("nothing was rung, nobody hung up")
                .noneMatch(command -> command.startsWith("createChannel") || command.startsWith("hangup"))
                .contains("removeFromBridge " + leg(0));
        assertThat(store.transitionEvents()).contains("attended transfer started", "transfer failed");

        // And the agent can try again once it works.
        String target = engine.startTransfer(callId, alice.id(), Transfer.Mode.BLIND,
                new Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000"));
        assertThat(saved().transfer.state()).isEqualTo(Transfer.State.DIALLING);
        assertThat(saved().legs).containsKey(target);
    }

    @Test
    void only_the_agent_who_started_a_transfer_may_finish_it() {
        UUID callId = talkingInbound();
        engine.startTransfer(callId, alice.id(), Transfer.Mode.ATTENDED,
                new Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000"));
        assertThatThrownBy(() -> engine.cancelTransfer(callId, bob.id())).isInstanceOf(CommandRefused.class);
        assertThatThrownBy(() -> engine.startTransfer(callId, alice.id(), Transfer.Mode.BLIND,
                new Target("PJSIP/1002", "1002", bob.id(), java.util.Map.of(), "again")))
                .isInstanceOf(CommandRefused.class).hasMessageContaining("in progress");
        engine.cancelTransfer(callId, alice.id());
        assertThat(saved().transfer.state()).isEqualTo(Transfer.State.CANCELLED);
        assertThat(saved().legs.get(leg(0)).joined).isTrue();
    }
}
