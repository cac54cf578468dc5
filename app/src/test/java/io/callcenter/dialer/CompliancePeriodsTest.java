package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompliancePeriodsTest {

    private static final Instant ANCHOR = Instant.parse("2026-01-10T14:30:00Z");

    @Test
    void periods_are_successive_thirty_days_from_the_campaigns_start() {
        assertThat(CompliancePeriods.containing(ANCHOR, ANCHOR).number()).isEqualTo(1);
        assertThat(CompliancePeriods.containing(ANCHOR, Instant.parse("2026-02-09T14:29:59Z")).number()).isEqualTo(1);
        CompliancePeriods.Period second = CompliancePeriods.containing(ANCHOR, Instant.parse("2026-02-09T14:30:00Z"));
        assertThat(second.number()).isEqualTo(2);
        assertThat(second.start()).isEqualTo(Instant.parse("2026-02-09T14:30:00Z"));
        assertThat(second.end()).isEqualTo(Instant.parse("2026-03-11T14:30:00Z"));
        assertThat(CompliancePeriods.number(ANCHOR, 3).start()).isEqualTo(second.end());
    }

    @Test
    void an_instant_before_the_start_belongs_to_the_first_period_and_numbers_start_at_one() {
        assertThat(CompliancePeriods.containing(ANCHOR, ANCHOR.minusSeconds(60)).number()).isEqualTo(1);
        assertThatThrownBy(() -> CompliancePeriods.number(ANCHOR, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
