package io.callcenter.call.reconcile;

import io.callcenter.call.reconcile.AdoptedRecording.Found;
import io.callcenter.call.reconcile.AdoptedRecording.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The adopted call's recording: the database's name and pause, Asterisk's word on whether it still runs. */
class AdoptedRecordingTest {

    @Test
    void a_recording_paused_at_the_crash_that_still_runs_stays_paused() {
        Outcome outcome = AdoptedRecording.decide("call-1", true, Found.LIVE);
        assertThat(outcome.name()).isEqualTo("call-1");
        assertThat(outcome.muted()).isTrue();
    }

    @Test
    void a_running_recording_is_adopted_running() {
        Outcome outcome = AdoptedRecording.decide("call-1", false, Found.LIVE);
        assertThat(outcome.name()).isEqualTo("call-1");
        assertThat(outcome.muted()).isFalse();
    }

    @Test
    void a_recording_asterisk_no_longer_has_is_not_adopted() {
        Outcome outcome = AdoptedRecording.decide("call-1", true, Found.GONE);
        assertThat(outcome.name()).isNull();
        assertThat(outcome.muted()).isFalse();
        assertThat(outcome.note()).contains("no longer runs");
    }

    @Test
    void asterisk_unreachable_keeps_the_saved_facts_and_says_so() {
        Outcome outcome = AdoptedRecording.decide("call-1", true, Found.UNKNOWN);
        assertThat(outcome.name()).isEqualTo("call-1");
        assertThat(outcome.muted()).as("a pause is never lifted on a guess").isTrue();
        assertThat(outcome.note()).contains("unconfirmed");
    }

    @Test
    void a_call_without_a_saved_recording_has_none() {
        assertThat(AdoptedRecording.decide(null, false, Found.LIVE)).isEqualTo(Outcome.NONE);
    }
}
