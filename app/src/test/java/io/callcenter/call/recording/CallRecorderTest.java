package io.callcenter.call.recording;

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

/** Recording the call's bridge (or, configured, the customer's channel through MixMonitor) from the answer, with the consent announcement and payment pause. */
class CallRecorderTest extends CallEngineFixture {

    @Test
    void a_recorded_call_announces_recording_to_both_parties_and_records_the_bridge_from_the_answer() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, "sound:conf-now-recording"));
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        assertThat(asterisk.drain()).endsWith(
                "playOnBridge " + bridge() + " sound:conf-now-recording",
                "recordBridge call-" + saved().id + ".wav");
        assertThat(store.recordings).containsExactly("started call-" + saved().id);

        UUID callId = saved().id;
        pausedResumedThenEnded(callId, "mute call-" + callId, "unmute call-" + callId);
    }

    /** The agent pauses and resumes (Asterisk told {@code mute}, then {@code unmute}), then both parties hang up. */
    private void pausedResumedThenEnded(UUID callId, String mute, String unmute) {
        engine.pauseRecording(callId, alice.id(), true);
        engine.pauseRecording(callId, alice.id(), false);
        assertThat(asterisk.drain()).containsExactly(mute, unmute);
        assertThat(store.transitionEvents()).contains("recording paused", "recording resumed");
        assertThat(saved().recordingState()).isEqualTo("recording");

        callerHangsUp(at(60), 16);
        event(new AsteriskEvent.StasisEnd(at(60), leg(0)));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().recordingState()).as("an ended call is not being recorded, whenever Asterisk says so")
                .isNull();
    }

    @Test
    void a_call_answered_while_the_database_is_away_is_recorded_and_goes_on_its_row_waiting() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, null));
        carrierCalls(DID);
        UUID callId = saved().id;
        store.outage = new org.springframework.dao.DataAccessResourceFailureException("database unavailable");
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        assertThat(asterisk.drain()).endsWith("recordBridge call-" + callId + ".wav");
        assertThat(store.recordings).as("its row waits for the file's registration").isEmpty();
        assertThat(saved().state()).as("the call goes on talking").isEqualTo(CallState.TALKING);

        store.outage = null;
        timers.runDue();
        assertThat(store.transitionEvents()).as("written when the database returns").contains("recording started");
    }
    @Test
    void a_recorded_call_records_the_customers_channel_before_the_bridge_and_plays_the_consent_to_each_party() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, "sound:conf-now-recording"));
        engine.recordWith(CallRecorder.Mode.MIXMONITOR);
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        List<String> commands = asterisk.drain();
        assertThat(commands).as("MixMonitor on the customer before either party is bridged: never native RTP")
                .containsSubsequence("mixMonitor " + CARRIER_CHANNEL + " call-" + callId + ".wav",
                        "addToBridge " + CARRIER_CHANNEL, "addToBridge " + leg(0),
                        "play " + CARRIER_CHANNEL + " sound:conf-now-recording");
        assertThat(commands).as("the consent to each party; no mixer joins the bridge")
                .contains("play " + leg(0) + " sound:conf-now-recording")
                .noneMatch(command -> command.startsWith("playOnBridge") || command.startsWith("recordBridge"));
        assertThat(store.recordings).containsExactly("started call-" + callId);

        pausedResumedThenEnded(callId, "muteMix " + CARRIER_CHANNEL, "unmuteMix " + CARRIER_CHANNEL);
        timers.runDue();
        assertThat(store.recordings).as("no file closed yet: not registered").containsExactly("started call-" + callId);
        clock.advance(Duration.ofSeconds(31));
        timers.runDue();
        assertThat(store.recordings).as("given up waiting: registered as it stands (none here)")
                .containsExactly("started call-" + callId, "finished call-" + callId);
    }

    @Test
    void a_mixmonitor_that_cannot_start_leaves_the_call_talking_and_flagged_unrecorded() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, "sound:conf-now-recording"));
        engine.recordWith(CallRecorder.Mode.MIXMONITOR);
        carrierCalls(DID);
        asterisk.refuseOnce.add("mixMonitor");
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(saved().recordingFailed).isTrue();
        assertThat(asterisk.drain()).as("no consent for a recording that does not run")
                .noneMatch(command -> command.startsWith("play ") || command.startsWith("mixMonitor"));
        assertThat(store.transitionEvents()).contains("recording failed to start");
    }

    @Test
    void a_placed_call_records_the_customer_it_reached_not_the_agents_phone() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, null));
        Call call = Call.start(UUID.randomUUID(), Origin.AGENT_DIAL, Direction.OUTBOUND, "+15551230000", "+15557654321", T0, null);
        call.legs.put("agent-phone", new io.callcenter.call.model.Leg("agent-phone", io.callcenter.call.model.Leg.Role.CALLER,
                "PJSIP/1001", "1001", alice.id(), T0));
        call.legs.put("customer", new io.callcenter.call.model.Leg("customer", io.callcenter.call.model.Leg.Role.CALLEE,
                "PJSIP/+15557654321@telnyx", "+15557654321", null, T0));
        assertThat(CallRecorder.recordedLeg(call)).map(leg -> leg.channelId).hasValue("customer");
    }

}
