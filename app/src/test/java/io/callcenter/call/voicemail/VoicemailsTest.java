package io.callcenter.call.voicemail;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.call.CallState;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.destination.Destination;
import io.callcenter.destination.InboundRoutes;
import io.callcenter.voicemail.VoicemailBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

/** Callers reaching a voicemail box through the engine: from a DID, and as a queue's overflow after max wait. */
class VoicemailsTest extends CallEngineFixture {

    private VoicemailBox box;

    @BeforeEach
    void theTeamHasABox() {
        box = new VoicemailBox(UUID.randomUUID(), team.id(), null, "Psychology", "sound:team-greeting", false,
                Duration.ofSeconds(90), Duration.ofSeconds(5));
        voicemailBoxes.boxes.put(box.id(), box);
    }

    private void greetingEnds() {
        event(new AsteriskEvent.PlaybackFinished(at(4), Voicemails.greetingPlaybackId(saved().id),
                Optional.of(CARRIER_CHANNEL), Optional.empty()));
    }

    private void recordingEnds(boolean failed) {
        event(new AsteriskEvent.RecordingEnded(at(20), "vm-" + saved().id, "wav", "channel:" + CARRIER_CHANNEL, failed, ""));
    }

    @Test
    void a_did_routed_to_a_box_plays_the_greeting_records_after_the_beep_and_says_goodbye() {
        routes.put(DID, new InboundRoutes.Route(new Destination.Voicemail(box.id()), List.of()));
        carrierCalls(DID);
        assertThat(saved().state()).isEqualTo(CallState.VOICEMAIL);
        assertThat(asterisk.drain()).containsExactly("answer " + CARRIER_CHANNEL, "play " + CARRIER_CHANNEL + " sound:team-greeting");

        greetingEnds();
        String name = "vm-" + saved().id;
        assertThat(asterisk.drain()).containsExactly(
                "recordChannel " + CARRIER_CHANNEL + " " + name + ".wav max 90s silence 5s beep until #");
        assertThat(voicemailBoxes.lines).containsExactly("started " + name + " from +15551230000");

        recordingEnds(false);
        assertThat(voicemailBoxes.lines).last().isEqualTo("ended " + name);
        assertThat(asterisk.drain()).containsExactly("play " + CARRIER_CHANNEL + " sound:vm-goodbye");
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(store.transitionEvents()).contains("voicemail", "announcement");
    }

    @Test
    void a_caller_who_hangs_up_while_recording_still_leaves_the_message_registered_after_the_call() {
        routes.put(DID, new InboundRoutes.Route(new Destination.Voicemail(box.id()), List.of()));
        carrierCalls(DID);
        greetingEnds();
        UUID callId = saved().id;
        asterisk.drain();

        callerHangsUp(at(15), 16);
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        event(new AsteriskEvent.RecordingEnded(at(15), "vm-" + callId, "wav", "channel:" + CARRIER_CHANNEL, false, ""));

        assertThat(voicemailBoxes.lines).containsExactly("started vm-" + callId + " from +15551230000", "ended vm-" + callId);
        assertThat(asterisk.drain()).isEmpty();
    }

    @Test
    void hash_during_the_greeting_skips_to_the_beep() {
        routes.put(DID, new InboundRoutes.Route(new Destination.Voicemail(box.id()), List.of()));
        carrierCalls(DID);
        asterisk.drain();

        event(new AsteriskEvent.DtmfReceived(at(2), CARRIER_CHANNEL, '#'));
        assertThat(asterisk.drain()).containsExactly("stopPlayback " + Voicemails.greetingPlaybackId(saved().id),
                "recordChannel " + CARRIER_CHANNEL + " vm-" + saved().id + ".wav max 90s silence 5s beep until #");
    }

    @Test
    void another_teams_box_is_never_reached() {
        VoicemailBox foreign = new VoicemailBox(UUID.randomUUID(), UUID.randomUUID(), null, "Sales", null, false,
                Duration.ofSeconds(90), Duration.ofSeconds(5));
        voicemailBoxes.boxes.put(foreign.id(), foreign);
        routes.put(DID, new InboundRoutes.Route(new Destination.Voicemail(foreign.id()), List.of()));
        carrierCalls(DID);

        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(saved().hangupCause).isEqualTo("no_voicemail_box");
        assertThat(voicemailBoxes.lines).isEmpty();
    }

    @Test
    void a_queue_overflows_to_the_box_after_max_wait() {
        Duration maxWait = Duration.ofSeconds(60);
        QueueSettings queue = new QueueSettings(UUID.randomUUID(), team.id(), "Psychology", QueueStrategy.LONGEST_IDLE,
                Duration.ofSeconds(15), maxWait, Duration.ZERO, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.VOICEMAIL, box.id().toString()), 0, null);
        queueStore.byTeam.put(team.id(), queue);
        when(agents.availableInTeam(team.id())).thenReturn(List.of());
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
        carrierCalls(DID);
        assertThat(saved().state()).isEqualTo(CallState.QUEUED);
        asterisk.drain();

        clock.set(at(60));
        timers.runDelayed(maxWait);

        assertThat(asterisk.drain()).containsExactly("removeFromBridge " + CARRIER_CHANNEL,
                "play " + CARRIER_CHANNEL + " sound:team-greeting");
        assertThat(saved().state()).isEqualTo(CallState.VOICEMAIL);
        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1", "TIMED_OUT 60s", "OVERFLOWED 60s");
    }
}
