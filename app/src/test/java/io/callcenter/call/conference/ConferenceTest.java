package io.callcenter.call.conference;

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
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.IllegalCallTransition;
import io.callcenter.call.model.Origin;
import io.callcenter.call.model.Target;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.placed.PlacedCallFlow;

/** Three-way calls: a third party joins after the announcement; the call survives any one party leaving. */
class ConferenceTest extends CallEngineFixture {

    @Test
    void a_third_party_joins_after_the_announcement_and_the_call_survives_any_one_party_leaving() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, "sound:conf-now-recording"));
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        asterisk.drain();

        String third = engine.addParticipant(callId, alice.id(),
                new Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000"));
        createdLegsEnterApp();
        assertThat(asterisk.drain()).containsExactly("createChannel PJSIP/+15559990000@telnyx", "dial " + third + " 60s");
        event(new AsteriskEvent.ChannelStateChanged(at(10), channel(third, "PJSIP/telnyx-2", ChannelState.UP)));
        Leg joining = saved().legs.get(third);
        assertThat(asterisk.drain()).containsExactly("play " + third + " sound:conf-now-recording");
        event(new AsteriskEvent.PlaybackFinished(at(13), joining.joiningPlaybackId, Optional.of(third)));
        assertThat(asterisk.drain()).containsExactly("addToBridge " + third);
        assertThat(saved().legs.get(third).joined).isTrue();

        // The agent leaves: the customer and the third party talk on.
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(asterisk.drain()).isEmpty();
        // Then the customer: fewer than two remain, the call ends.
        callerHangsUp(at(30), 16);
        assertThat(saved().state()).isEqualTo(CallState.ENDING);
        assertThat(asterisk.drain()).containsExactly("hangup " + third + " NORMAL");
        assertThat(saved().legs.get(leg(0)).leaveReason).isEqualTo("hung_up");
    }

    @Test
    void at_most_three_parties() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        Target target = new Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "x");
        engine.addParticipant(callId, alice.id(), target);
        assertThatThrownBy(() -> engine.addParticipant(callId, alice.id(), target))
                .isInstanceOf(CommandRefused.class).hasMessageContaining("at most 3");
    }

    @Test
    void the_customer_leaving_first_leaves_agent_and_third_party_talking() {
        UUID callId = talkingInbound();
        String third = thirdPartyJoins(callId);
        callerHangsUp(at(20), 16);
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(asterisk.drain()).as("nobody is hung up while two remain").isEmpty();
        assertThat(saved().legs.get(CARRIER_CHANNEL).leaveReason).isEqualTo("hung_up");

        event(new AsteriskEvent.StasisEnd(at(30), third));
        assertThat(saved().state()).isEqualTo(CallState.ENDING);
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        assertThat(saved().hangupCause).isEqualTo("callee_hangup");
    }

    @Test
    void the_third_party_leaving_first_leaves_customer_and_agent_talking() {
        UUID callId = talkingInbound();
        String third = thirdPartyJoins(callId);
        event(new AsteriskEvent.StasisEnd(at(20), third));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(asterisk.drain()).isEmpty();
        assertThat(saved().legs.get(third).leaveReason).isEqualTo("hung_up");
        assertThat(store.transitionEvents()).contains("participant joined", "party left");

        callerHangsUp(at(30), 16);
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        assertThat(saved().hangupCause).isEqualTo("caller_hangup");
    }

    @Test
    void a_third_party_who_never_answers_is_reported_and_the_two_talk_on() {
        UUID callId = talkingInbound();
        asterisk.drain();
        String third = engine.addParticipant(callId, alice.id(),
                new Target("PJSIP/1002", "1002", bob.id(), java.util.Map.of(), "extension 1002"));
        reservations.put(bob.id(), callId);
        createdLegsEnterApp();
        asterisk.drain();
        event(new AsteriskEvent.DialResult(at(30), third, "NOANSWER"));
        event(new AsteriskEvent.StasisEnd(at(30), third));
        assertThat(asterisk.drain()).contains("playOnBridge " + bridge() + " sound:cannot-complete-as-dialed");
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(reservations).as("the colleague who did not answer is free again").doesNotContainKey(bob.id());
        assertThat(store.transitionEvents()).contains("participant not reached");
    }

    /** Adds an outside number to the call; it answers and joins (no recording, so no announcement first). */
    private String thirdPartyJoins(UUID callId) {
        String third = engine.addParticipant(callId, alice.id(),
                new Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000"));
        createdLegsEnterApp();
        event(new AsteriskEvent.ChannelStateChanged(at(10), channel(third, "PJSIP/telnyx-2", ChannelState.UP)));
        assertThat(saved().legs.get(third).joined).isTrue();
        asterisk.drain();
        return third;
    }
}
