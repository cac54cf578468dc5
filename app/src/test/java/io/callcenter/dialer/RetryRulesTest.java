package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each outcome's own wait and maximum; a lead whose outcome's maximum is reached closes and says why. */
class RetryRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T15:00:00Z");
    private static final RetryRules RULES = new RetryRules(8, Duration.ofMinutes(10), Map.of(
            Outcome.NO_ANSWER, Duration.ofHours(2), Outcome.BUSY, Duration.ofMinutes(15),
            Outcome.VOICEMAIL, Duration.ofHours(24), Outcome.DISCONNECTED, Duration.ofHours(48)),
            Map.of(Outcome.NO_ANSWER, 3, Outcome.VOICEMAIL, 2, Outcome.DISCONNECTED, 1));

    @Test
    void each_outcome_waits_its_own_delay_until_its_own_maximum() {
        assertThat(RULES.next(2, Outcome.NO_ANSWER, T0)).contains(T0.plus(Duration.ofHours(2)));
        assertThat(RULES.next(3, Outcome.NO_ANSWER, T0)).as("three unanswered attempts at most").isEmpty();
        assertThat(RULES.next(1, Outcome.VOICEMAIL, T0)).contains(T0.plus(Duration.ofHours(24)));
        assertThat(RULES.next(2, Outcome.VOICEMAIL, T0)).as("a machine twice").isEmpty();
        assertThat(RULES.next(1, Outcome.DISCONNECTED, T0)).as("a failed dial once").isEmpty();
        assertThat(RULES.next(7, Outcome.BUSY, T0)).as("busy has no cap of its own: the campaign's 8")
                .contains(T0.plus(Duration.ofMinutes(15)));
        assertThat(RULES.next(8, Outcome.BUSY, T0)).isEmpty();
    }

    @Test
    void a_lead_closed_by_its_outcomes_maximum_carries_the_reason_and_only_then() {
        assertThat(RULES.closedReason(3, Outcome.NO_ANSWER)).contains("NO_ANSWER: 3 of at most 3 attempts for NO_ANSWER");
        assertThat(RULES.closedReason(8, Outcome.BUSY)).contains("BUSY: 8 of at most 8 attempts");
        assertThat(RULES.closedReason(2, Outcome.NO_ANSWER)).as("retried, not closed").isEmpty();
        assertThat(RULES.closedReason(1, Outcome.INTERESTED)).as("closed by its outcome, not a maximum").isEmpty();
        assertThat(RULES.closedReason(9, Outcome.CALLBACK)).as("a callback never closes").isEmpty();
    }

    @Test
    void a_maximum_must_be_for_a_capped_outcome_and_within_the_campaigns_maximum() {
        assertThatThrownBy(() -> new RetryRules(5, Duration.ZERO, Map.of(), Map.of(Outcome.INTERESTED, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INTERESTED has no maximum");
        assertThatThrownBy(() -> new RetryRules(5, Duration.ZERO, Map.of(), Map.of(Outcome.BUSY, 6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and maxAttempts (5)");
        assertThatThrownBy(() -> new RetryRules(5, Duration.ZERO, Map.of(), Map.of(Outcome.BUSY, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RetryRules(5, Duration.ZERO, Map.of(), Map.of(Outcome.BUSY, 5)).maxAttempts(Outcome.BUSY)).isEqualTo(5);
    }
}
