package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every mode is guarded by the rule's abandon rate; a preset is a ceiling, never a floor. */
class PacingControllerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T15:00:00Z");
    private final PacingController controller = new PacingController(Duration.ofSeconds(15));

    private static Campaign campaign(DialMode mode, double ratioInForce, double amdErrorRate) {
        return new Campaign(UUID.fromString("00000000-0000-0000-0000-000000000001"), "c", UUID.randomUUID(), "+15550100",
                mode, ratioInForce, 0.03, CallingHours.DEFAULT, RetryRules.DEFAULT, Campaign.VoicemailPolicy.HANGUP, null,
                "premium", "Psychology, 555 0100", true, "on", false, "agents", T0,
                new Campaign.Compliance(T0, amdErrorRate, null));
    }

    /** 16 one-second samples (one interval) with the given counts; returns the plan at the interval's end. */
    private PacingController.Plan interval(Campaign campaign, int available, int working, PacingController.Counts counts) {
        PacingController.Plan plan = null;
        for (int s = 0; s <= 15; s++) {
            plan = controller.plan(campaign, available, working, 0, 0, counts, T0.plusSeconds(s));
        }
        return plan;
    }

    @Test
    void a_preset_over_the_target_is_throttled_to_one_with_the_reason_given() {
        Campaign aggressive = campaign(DialMode.AGGRESSIVE, 3.0, 0.0);
        PacingController.Plan plan = interval(aggressive, 2, 10, new PacingController.Counts(200, 6, 200, 6));
        assertThat(plan.ratio()).isEqualTo(1.0);
        assertThat(plan.changed()).isTrue();
        assertThat(plan.note()).contains("throttled from 3.0 to 1.00").contains("3.00%");
    }

    @Test
    void a_preset_with_agents_idle_and_no_abandons_stays_at_its_ceiling() {
        Campaign balanced = campaign(DialMode.BALANCED, 2.0, 0.0);
        PacingController.Plan plan = interval(balanced, 8, 10, new PacingController.Counts(200, 0, 200, 0));
        assertThat(plan.ratio()).as("never above the preset").isEqualTo(2.0);
        assertThat(plan.note()).isNull();
        assertThat(plan.dialsToStart()).isEqualTo(16);
    }

    @Test
    void the_idle_share_is_over_staffed_agents_so_one_free_agent_of_ten_is_not_an_idle_team() {
        Campaign adaptive = campaign(DialMode.ADAPTIVE, 1.5, 0.0);
        assertThat(interval(adaptive, 1, 10, new PacingController.Counts(200, 0, 200, 0)).ratio())
                .as("10% idle: a small step").isEqualTo(1.55);
    }

    @Test
    void assumed_detection_errors_count_against_the_target_and_the_worse_of_period_and_rolling_rate_decides() {
        Campaign careful = campaign(DialMode.BALANCED, 2.0, 0.012);
        // 1.2% hidden + 1.5% measured > 80% of 3%: hard back-off although the period alone looks fine.
        assertThat(interval(careful, 5, 10, new PacingController.Counts(1000, 15, 1000, 15)).ratio()).isEqualTo(1.0);
        Campaign clean = campaign(DialMode.BALANCED, 2.0, 0.0);
        assertThat(interval(clean, 5, 10, new PacingController.Counts(1000, 0, 500, 15)).ratio())
                .as("the rolling 30 days are at 3%").isEqualTo(1.0);
    }

    @Test
    void nothing_changes_before_an_interval_has_passed() {
        Campaign aggressive = campaign(DialMode.AGGRESSIVE, 3.0, 0.0);
        PacingController.Plan plan = controller.plan(aggressive, 2, 10, 0, 1,
                new PacingController.Counts(100, 50, 100, 50), T0);
        assertThat(plan.changed()).isFalse();
        assertThat(plan.ratio()).isEqualTo(3.0);
        assertThat(plan.dialsToStart()).isEqualTo(5);
    }

    @Test
    void predictive_keeps_only_the_hard_back_off_over_ninety_percent_of_the_target_and_dials_ahead_below_it() {
        Campaign predictive = campaign(DialMode.PREDICTIVE, 1.5, 0.0);
        assertThat(interval(predictive, 2, 10, new PacingController.Counts(1000, 26, 1000, 26)).ratio())
                .as("2.6%: its own steering's business").isEqualTo(Pacer.MAX_RATIO);
        PacingController other = new PacingController(Duration.ofSeconds(15));
        PacingController.Plan plan = null;
        for (int s = 0; s <= 15; s++) {
            plan = other.plan(predictive, 2, 10, 0, 0, new PacingController.Counts(1000, 28, 1000, 28), T0.plusSeconds(s));
        }
        assertThat(plan.ratio()).as("2.8%: one dial per free agent").isEqualTo(Pacer.MIN_RATIO);
        assertThat(plan.dialsToStart()).isEqualTo(2);
    }
}
