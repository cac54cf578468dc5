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

/** Recording the customer's channel from the answer, with the consent announcement and payment pause. */
class CallRecorderTest extends CallEngineFixture {

    /** A carrier call answered by alice, her team recording with the announcement. */
    private UUID answeredWithRecording() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, "sound:conf-now-recording"));
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        return saved().id;
    }

    @Test
    void a_recorded_call_records_the_customers_channel_from_the_answer_then_announces_recording_to_both_parties() {
        UUID callId = answeredWithRecording();
        String snoop = "rec-call-" + callId;
        List<String> answered = asterisk.drain();
        assertThat(answered).endsWith("snoop " + CARRIER_CHANNEL + " as " + snoop + " spy=both whisper=none");
        assertThat(answered).as("no bridge recorder channel: the two-party bridge needs no mixing")
                .noneMatch(command -> command.startsWith("recordBridge"));
        assertThat(store.recordings).containsExactly("started call-" + callId);

        // The snoop channel in the application: recorded, then both hear the announcement on the bridge, which
        // writes it to the customer's leg, so it is on the file.
        event(new AsteriskEvent.StasisStart(at(3), channel(snoop, "Snoop/carrier-1-00000001", ChannelState.UP),
                List.of("leg", callId.toString())));
        assertThat(asterisk.drain()).containsExactly(
                "recordChannel " + snoop + " call-" + callId + ".wav max 0s silence 0s until none",
                "playOnBridge " + bridge() + " sound:conf-now-recording");
        assertThat(saved().legs).as("the snoop channel is no party").hasSize(2);

        engine.pauseRecording(callId, alice.id(), true);
        engine.pauseRecording(callId, alice.id(), false);
        assertThat(asterisk.drain()).containsExactly("mute call-" + callId, "unmute call-" + callId);
        assertThat(store.transitionEvents()).contains("recording paused", "recording resumed");
        assertThat(saved().recordingState()).isEqualTo("recording");

        callerHangsUp(at(60), 16);
        event(new AsteriskEvent.StasisEnd(at(60), leg(0)));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().recordingState()).as("an ended call is not being recorded, whenever Asterisk says so")
                .isNull();
    }

    @Test
    void when_the_recorded_customer_leaves_a_conference_the_others_are_recorded_on_in_the_calls_next_file() {
        UUID callId = answeredWithRecording();
        event(new AsteriskEvent.StasisStart(at(3), channel("rec-call-" + callId, "Snoop/carrier-1-1", ChannelState.UP),
                List.of("leg", callId.toString())));
        String third = engine.addParticipant(callId, alice.id(),
                new Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000"));
        createdLegsEnterApp();
        event(new AsteriskEvent.ChannelStateChanged(at(10), channel(third, "PJSIP/telnyx-2", ChannelState.UP)));
        event(new AsteriskEvent.PlaybackFinished(at(13), saved().legs.get(third).joiningPlaybackId, Optional.of(third)));
        engine.pauseRecording(callId, alice.id(), true);
        asterisk.drain();

        // The customer hangs up; their snoop channel, and so the recording, end with them.
        callerHangsUp(at(20), 16);
        event(new AsteriskEvent.RecordingEnded(at(20), "call-" + callId, "wav", "channel:rec-call-" + callId, false, null));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(asterisk.drain()).containsExactly("snoop " + third + " as rec-call-" + callId + "-1 spy=both whisper=none");
        event(new AsteriskEvent.StasisStart(at(20), channel("rec-call-" + callId + "-1", "Snoop/telnyx-2-1", ChannelState.UP),
                List.of("leg", callId.toString())));
        assertThat(asterisk.drain()).as("paused as the first file was; nobody hears the announcement twice").containsExactly(
                "recordChannel rec-call-" + callId + "-1 call-" + callId + "-1.wav max 0s silence 0s until none",
                "mute call-" + callId + "-1");
        assertThat(store.recordings).containsExactly("started call-" + callId, "finished call-" + callId, "started call-" + callId + "-1");
    }

    @Test
    void a_call_answered_while_the_database_is_away_is_recorded_and_goes_on_its_row_waiting() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, null));
        carrierCalls(DID);
        UUID callId = saved().id;
        store.outage = new org.springframework.dao.DataAccessResourceFailureException("database unavailable");
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        assertThat(asterisk.drain()).endsWith("snoop " + CARRIER_CHANNEL + " as rec-call-" + callId + " spy=both whisper=none");
        assertThat(store.recordings).as("its row waits for the file's registration").isEmpty();
        assertThat(saved().state()).as("the call goes on talking").isEqualTo(CallState.TALKING);

        store.outage = null;
        timers.runDue();
        assertThat(store.transitionEvents()).as("written when the database returns").contains("recording started");
    }
}
