package io.callcenter.call.reconcile;

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

/** After a reconnect or an Asterisk restart: lost calls are closed, surviving ones go on. */
class ReconciliationTest extends CallEngineFixture {

    @Test
    void after_an_asterisk_crash_lost_calls_are_closed_and_surviving_ones_resumed() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        asterisk.drain();
        asterisk.liveChannels = List.of();

        engine.onConnected(new AsteriskInfo("22", "test", at(30)));

        Call call = saved();
        assertThat(call.state()).isEqualTo(CallState.ENDED);
        assertThat(call.hangupCause).isEqualTo("asterisk_restarted");
        assertThat(call.endedAt).isEqualTo(T0);
        assertThat(asterisk.drain()).containsExactly("destroyBridge " + bridge());
    }

    @Test
    void a_call_that_survived_a_reconnect_keeps_talking() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        asterisk.drain();
        asterisk.liveChannels = List.of(channel(CARRIER_CHANNEL, "PJSIP/telnyx-1", ChannelState.UP),
                channel(leg(0), "PJSIP/1001-1", ChannelState.UP));

        engine.onConnected(new AsteriskInfo("22", "test", Instant.EPOCH));

        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(store.transitionEvents()).contains("resumed after reconnect");
        assertThat(asterisk.drain()).as("in-memory call: still subscribed").isEmpty();
    }

    /** A recorded call paused by alice, then taken over by a new app instance with both parties still up. */
    private UUID pausedCallAdoptedWithRecording(boolean stillRecording) {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, null));
        UUID callId = talkingInbound();
        engine.pauseRecording(callId, alice.id(), true);
        store.restorable = true;
        asterisk.liveChannels = List.of(channel(CARRIER_CHANNEL, "PJSIP/telnyx-1", ChannelState.UP),
                channel(leg(0), "PJSIP/1001-1", ChannelState.UP));
        if (stillRecording) {
            asterisk.liveRecordings.put("call-" + callId, "recording");
        }
        engine = newAppInstance();
        engine.onConnected(new AsteriskInfo("22", "test", Instant.EPOCH));
        asterisk.drain();
        return callId;
    }

    @Test
    void an_adopted_call_paused_at_the_crash_stays_paused_until_its_agent_resumes() {
        UUID callId = pausedCallAdoptedWithRecording(true);

        assertThat(saved().recordingState()).isEqualTo("paused");
        assertThat(engine.pauseRecording(callId, alice.id(), false)).isFalse();
        assertThat(asterisk.drain()).containsExactly("unmute call-" + callId);
        assertThat(engine.pauseRecording(callId, alice.id(), true)).isTrue();
        assertThat(asterisk.drain()).containsExactly("mute call-" + callId);
        assertThat(store.transitionsDetails()).contains("call-" + callId + " paused");
    }

    @Test
    void an_adopted_call_whose_recording_asterisk_no_longer_has_is_not_recorded() {
        UUID callId = pausedCallAdoptedWithRecording(false);

        assertThat(saved().recordingState()).isNull();
        assertThatThrownBy(() -> engine.pauseRecording(callId, alice.id(), false))
                .isInstanceOf(CommandRefused.class).hasMessageContaining("not being recorded");
        assertThat(asterisk.drain()).isEmpty();
    }

    @Test
    void an_adopted_call_recorded_by_mixmonitor_is_live_while_its_customer_channel_names_the_file() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, null));
        engine.recordWith(io.callcenter.call.recording.CallRecorder.Mode.MIXMONITOR);
        UUID callId = talkingInbound();
        engine.pauseRecording(callId, alice.id(), true);
        store.restorable = true;
        asterisk.liveChannels = List.of(channel(CARRIER_CHANNEL, "PJSIP/telnyx-1", ChannelState.UP),
                channel(leg(0), "PJSIP/1001-1", ChannelState.UP));
        engine = newAppInstance();
        engine.recordWith(io.callcenter.call.recording.CallRecorder.Mode.MIXMONITOR);
        engine.onConnected(new AsteriskInfo("22", "test", Instant.EPOCH));
        asterisk.drain();

        assertThat(saved().recordingState()).as("MIXMONITOR_FILENAME on the customer's channel names it").isEqualTo("paused");
        assertThat(engine.pauseRecording(callId, alice.id(), false)).isFalse();
        assertThat(asterisk.drain()).containsExactly("unmuteMix " + CARRIER_CHANNEL);
    }

    @Test
    void an_adopted_call_whose_customer_channel_names_no_mixmonitor_file_is_not_recorded() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, null));
        engine.recordWith(io.callcenter.call.recording.CallRecorder.Mode.MIXMONITOR);
        talkingInbound();
        store.restorable = true;
        asterisk.liveChannels = List.of(channel(CARRIER_CHANNEL, "PJSIP/telnyx-1", ChannelState.UP),
                channel(leg(0), "PJSIP/1001-1", ChannelState.UP));
        asterisk.variables.clear();
        engine = newAppInstance();
        engine.recordWith(io.callcenter.call.recording.CallRecorder.Mode.MIXMONITOR);
        engine.onConnected(new AsteriskInfo("22", "test", Instant.EPOCH));

        assertThat(saved().recordingState()).isNull();
    }

    @Test
    void a_channel_left_in_our_application_by_no_known_call_is_hung_up() {
        asterisk.liveChannels = List.of(new ChannelSnapshot("stray", "PJSIP/telnyx-9", ChannelState.UP, "", "", "",
                "from-trunk", DID, "Stasis", "callcenter,inbound", T0));
        engine.onConnected(new AsteriskInfo("22", "test", Instant.EPOCH));
        assertThat(asterisk.drain()).containsExactly("hangup stray NORMAL");
    }
}
