package io.callcenter.call.engine;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.call.CallState;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.NotActiveInstance;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.when;

/** An instance that gave up the floor: the other instance runs its calls now. */
class StandingByTest extends CallEngineFixture {

    @Test
    void its_calls_are_forgotten_without_a_command_or_a_save_and_their_clicks_are_for_the_active_instance() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, null));
        UUID callId = talkingInbound();
        assertThat(timers.tasks).as("the talk-time limit is scheduled").isNotEmpty();
        asterisk.drain();
        int written = store.transitions.size();

        engine.floorGivenUp();

        assertThatThrownBy(() -> engine.pauseRecording(callId, alice.id(), true)).isInstanceOf(NotActiveInstance.class);
        timers.runDue();
        event(new AsteriskEvent.StasisEnd(at(90), CARRIER_CHANNEL));
        assertThat(asterisk.drain()).as("no command to Asterisk").isEmpty();
        assertThat(store.transitions).as("no write: the other instance writes the call's end").hasSize(written);
        assertThat(saved().state()).isEqualTo(CallState.TALKING);

        engine.floorTaken();
        assertThatThrownBy(() -> engine.pauseRecording(callId, alice.id(), true))
                .as("holding the floor again, a call it does not run is simply not live here")
                .isInstanceOf(CommandRefused.class);
    }
}
