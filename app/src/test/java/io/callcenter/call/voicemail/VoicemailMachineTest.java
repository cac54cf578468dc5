package io.callcenter.call.voicemail;

import io.callcenter.call.voicemail.VoicemailMachine.Command;
import io.callcenter.call.voicemail.VoicemailMachine.Event;
import io.callcenter.call.voicemail.VoicemailMachine.Phase;
import io.callcenter.voicemail.VoicemailBox;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class VoicemailMachineTest {

    private final VoicemailBox box = new VoicemailBox(UUID.randomUUID(), UUID.randomUUID(), null, "Psychology",
            "sound:custom-greeting", false, Duration.ofSeconds(60), Duration.ofSeconds(4));

    @Test
    void the_greeting_plays_then_asterisk_beeps_and_records_within_the_box_limits() {
        VoicemailMachine.Step entered = VoicemailMachine.enter(box);
        assertThat(entered.visit().phase()).isEqualTo(Phase.GREETING);
        assertThat(entered.commands()).containsExactly(new Command.Note("voicemail", "Psychology"),
                new Command.PlayGreeting("sound:custom-greeting"));

        VoicemailMachine.Step recording = VoicemailMachine.decide(entered.visit(), new Event.GreetingFinished());
        assertThat(recording.visit().phase()).isEqualTo(Phase.RECORDING);
        assertThat(recording.commands()).containsExactly(new Command.Record(box));

        VoicemailMachine.Step left = VoicemailMachine.decide(recording.visit(), new Event.RecordingEnded(true, 5_200));
        assertThat(left.visit().phase()).isEqualTo(Phase.LEFT);
        assertThat(left.commands()).containsExactly(new Command.Note("voicemail left", "Psychology 5200 ms"),
                new Command.SayGoodbye(VoicemailMachine.GOODBYE));
    }

    @Test
    void hash_skips_the_greeting_and_its_late_end_is_ignored() {
        VoicemailMachine.Visit greeting = VoicemailMachine.enter(box).visit();
        VoicemailMachine.Step skipped = VoicemailMachine.decide(greeting, new Event.Key("#"));
        assertThat(skipped.commands()).containsExactly(new Command.StopGreeting(),
                new Command.Note("voicemail greeting skipped", "#"), new Command.Record(box));

        VoicemailMachine.Step lateEnd = VoicemailMachine.decide(skipped.visit(), new Event.GreetingFinished());
        assertThat(lateEnd.commands()).isEmpty();
        assertThat(lateEnd.visit()).isEqualTo(skipped.visit());
    }

    @Test
    void other_keys_during_the_greeting_and_any_key_while_recording_change_nothing() {
        VoicemailMachine.Visit greeting = VoicemailMachine.enter(box).visit();
        assertThat(VoicemailMachine.decide(greeting, new Event.Key("5")).commands()).isEmpty();
        VoicemailMachine.Visit recording = VoicemailMachine.decide(greeting, new Event.GreetingFinished()).visit();
        // Asterisk itself ends the recording on '#'; its end is the event that moves the caller on.
        VoicemailMachine.Step hash = VoicemailMachine.decide(recording, new Event.Key("#"));
        assertThat(hash.commands()).isEmpty();
        assertThat(hash.visit().phase()).isEqualTo(Phase.RECORDING);
    }

    @Test
    void hanging_up_during_the_greeting_leaves_no_message_and_while_recording_waits_for_the_recording() {
        VoicemailMachine.Visit greeting = VoicemailMachine.enter(box).visit();
        VoicemailMachine.Step gone = VoicemailMachine.decide(greeting, new Event.CallerLeft());
        assertThat(gone.visit().phase()).isEqualTo(Phase.LEFT);
        assertThat(gone.commands()).containsExactly(
                new Command.Note("voicemail not left", "Psychology: hung up during the greeting"));

        VoicemailMachine.Visit recording = VoicemailMachine.decide(greeting, new Event.GreetingFinished()).visit();
        assertThat(VoicemailMachine.decide(recording, new Event.CallerLeft()).commands()).isEmpty();
    }

    @Test
    void a_recording_with_nothing_to_keep_is_noted_as_such() {
        VoicemailMachine.Visit recording = VoicemailMachine.decide(VoicemailMachine.enter(box).visit(),
                new Event.GreetingFinished()).visit();
        assertThat(VoicemailMachine.decide(recording, new Event.RecordingEnded(false, 300)).commands())
                .startsWith(new Command.Note("voicemail not left", "Psychology: nothing recorded"));
    }

    @Test
    void a_box_without_a_greeting_of_its_own_plays_its_upload_or_the_stock_greeting() {
        VoicemailBox uploaded = new VoicemailBox(box.id(), box.teamId(), null, "Team", null, true,
                Duration.ofSeconds(60), Duration.ofSeconds(4));
        VoicemailBox stock = new VoicemailBox(box.id(), box.teamId(), null, "Team", null, false,
                Duration.ofSeconds(60), Duration.ofSeconds(4));
        assertThat(uploaded.greetingMedia()).isEqualTo("recording:vm-greeting-" + box.id());
        assertThat(stock.greetingMedia()).isEqualTo(VoicemailBox.STOCK_GREETING);
    }
}
