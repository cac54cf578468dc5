package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule's verdict from an attempt's timestamps: greeting end + 2 s, connected (two-way audio) or not. */
class AbandonRuleTest {

    private static final Instant T0 = Instant.parse("2026-11-27T15:00:00Z");

    /** Answered at 8 s, detection's verdict "human" at 10.8 s after 800 ms of silence: the greeting ended at 10 s. */
    private static Attempt person() {
        return Attempt.dialling(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "+12125550101", T0)
                .change(d -> d.tsr = new Attempt.Tsr(800, null, false))
                .change(d -> d.answeredAt = T0.plusSeconds(8)).change(d -> d.humanAt = T0.plusMillis(10_800)).change(d -> d.tsr = d.tsr.greetingEndedBefore(T0.plusMillis(10_800)));
    }

    @Test
    void the_clock_starts_at_the_end_of_the_greeting_not_at_the_detection_result() {
        Attempt a = person();
        assertThat(a.tsr().greetingEndedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(AbandonRule.of(a).deadline()).isEqualTo(T0.plusSeconds(12));
    }

    @Test
    void connected_within_two_seconds_of_the_greeting_is_not_abandoned() {
        AbandonRule.Verdict v = AbandonRule.of(person().change(d -> { d.callId = UUID.randomUUID(); d.connectedAt = T0.plusMillis(11_900); }));
        assertThat(v.live()).isTrue();
        assertThat(v.abandoned()).isFalse();
    }

    @Test
    void an_agent_connected_after_the_deadline_still_leaves_the_call_abandoned() {
        AbandonRule.Verdict v = AbandonRule.of(person().change(d -> { d.callId = UUID.randomUUID(); d.connectedAt = T0.plusMillis(12_500); }));
        assertThat(v.live()).isTrue();
        assertThat(v.abandoned()).as("2.5 s after the greeting").isTrue();
        assertThat(v.reason()).contains("2.5 s");
    }

    @Test
    void a_person_no_agent_reached_is_abandoned_once_the_call_ends() {
        assertThat(AbandonRule.of(person()).abandoned()).as("still waiting: not decided").isFalse();
        assertThat(AbandonRule.of(person().change(d -> d.endedAt = T0.plusSeconds(20))).abandoned()).isTrue();
        AbandonRule.Verdict early = AbandonRule.of(person().change(d -> d.endedAt = T0.plusMillis(11_000)));
        assertThat(early.live()).isTrue();
        assertThat(early.abandoned()).as("ended within 2 s without an agent: who hung up is not recorded").isTrue();
    }

    @Test
    void a_hang_up_during_detection_is_counted_as_a_person_whose_greeting_ended_at_the_answer() {
        Attempt answered = Attempt.dialling(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "+12125550101", T0)
                .change(d -> d.answeredAt = T0.plusSeconds(8));
        AbandonRule.Verdict late = AbandonRule.of(answered.change(d -> d.endedAt = T0.plusSeconds(11)));
        assertThat(late.live()).isTrue();
        assertThat(late.abandoned()).isTrue();
        assertThat(late.deadline()).isEqualTo(T0.plusSeconds(10));
        assertThat(AbandonRule.of(answered.change(d -> d.endedAt = T0.plusMillis(9_000))).abandoned()).isFalse();
        assertThat(AbandonRule.of(answered).live()).as("detection still listening").isFalse();
    }

    @Test
    void machines_silence_and_unanswered_calls_are_outside_the_base_but_a_known_detection_error_is_abandoned() {
        Attempt machine = Attempt.dialling(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "+12125550101", T0)
                .change(d -> d.answeredAt = T0.plusSeconds(8)).change(d -> d.amdResult = "machine").change(d -> d.endedAt = T0.plusSeconds(12));
        assertThat(AbandonRule.of(machine).live()).isFalse();
        assertThat(AbandonRule.of(machine.change(d -> d.amdResult = "silence")).live()).isFalse();
        assertThat(AbandonRule.of(Attempt.dialling(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "+12125550101", T0)
                .change(d -> d.endedAt = T0.plusSeconds(30))).live()).isFalse();

        AbandonRule.Verdict error = AbandonRule.of(machine.change(d -> d.tsr = new Attempt.Tsr(800, T0.plusSeconds(10), true)));
        assertThat(error.live()).isTrue();
        assertThat(error.abandoned()).isTrue();
        assertThat(error.deadline()).isEqualTo(T0.plusSeconds(12));
    }
}
