package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The period report from counts and attempts: every period since the start, the chosen one's abandoned calls. */
class ComplianceReportTest {

    private static final Instant START = Instant.parse("2026-01-10T14:00:00Z");

    private static Campaign campaign() {
        return new Campaign(UUID.randomUUID(), "Spring, \"new\" leads", UUID.randomUUID(), "+15550100", DialMode.ADAPTIVE,
                1.5, 0.03, CallingHours.DEFAULT, RetryRules.DEFAULT, Campaign.VoicemailPolicy.HANGUP, null, "premium",
                "m", true, "on", false, "agents", START.minus(Duration.ofDays(3)),
                new Campaign.Compliance(START, 0.01, null));
    }

    /** A person whose agent connected 2.5 s after the greeting: abandoned. */
    private static Attempt late(Instant answered) {
        return Attempt.dialling(UUID.randomUUID(), null, UUID.randomUUID(), "+12125550101", answered.minusSeconds(10))
                .change(d -> {
                    d.tsr = new Attempt.Tsr(800, answered.plusSeconds(2), false);
                    d.answeredAt = answered;
                    d.humanAt = answered.plusMillis(2_800);
                    d.callId = UUID.randomUUID();
                    d.connectedAt = answered.plusMillis(4_500);
                    d.endedAt = answered.plusSeconds(90);
                });
    }

    @Test
    void every_period_since_the_first_switch_on_is_listed_and_the_chosen_one_carries_its_proof() {
        Instant now = START.plus(Duration.ofDays(65));
        Attempt abandoned = late(START.plus(Duration.ofDays(31)));
        ComplianceReport report = ComplianceReport.build(campaign(), now, 2,
                Map.of(0, new long[]{100, 2}, 1, new long[]{40, 2}), new PacingController.Counts(10, 0, 45, 2),
                now.minus(Duration.ofDays(30)), List.of(abandoned), Map.of(abandoned.id(), abandoned.humanAt().plusSeconds(2)));

        assertThat(report.anchor()).as("the first switch-on, not the creation").isEqualTo(START);
        assertThat(report.periods()).extracting(ComplianceReport.PeriodLine::number).containsExactly(1, 2, 3);
        assertThat(report.periods().get(0).rate()).isEqualTo(0.02);
        assertThat(report.periods().get(0).withinLimit()).isTrue();
        assertThat(report.periods().get(1).rate()).isEqualTo(0.05);
        assertThat(report.periods().get(1).withinLimit()).isFalse();
        assertThat(report.periods().get(2).rate()).as("nobody answered yet").isNull();
        assertThat(report.period().number()).isEqualTo(2);
        assertThat(report.period().start()).isEqualTo(START.plus(Duration.ofDays(30)));
        assertThat(report.rolling().rate()).isEqualTo(2.0 / 45);

        ComplianceReport.Abandoned proof = report.abandoned().getFirst();
        assertThat(proof.greetingEndedAt()).isEqualTo(abandoned.tsr().greetingEndedAt());
        assertThat(proof.deadline()).isEqualTo(abandoned.tsr().greetingEndedAt().plusSeconds(2));
        assertThat(proof.connectedAt()).isAfter(proof.deadline());
        assertThat(proof.safeHarborAt()).isNotNull();
        assertThat(proof.reason()).contains("2.5 s after the greeting");
    }

    @Test
    void the_csv_has_a_line_per_period_and_per_abandoned_call_with_text_quoted() {
        Instant now = START.plus(Duration.ofDays(5));
        Attempt abandoned = late(START.plus(Duration.ofDays(1)));
        String csv = ComplianceReport.build(campaign(), now, 1, Map.of(0, new long[]{1, 1}),
                new PacingController.Counts(1, 1, 1, 1), now.minus(Duration.ofDays(30)), List.of(abandoned), Map.of()).csv();
        assertThat(csv).contains("# campaign,\"Spring, \"\"new\"\" leads\"")
                .contains("\n1," + START + "," + START.plus(Duration.ofDays(30)) + ",1,1,1.0000,false\n")
                .contains(abandoned.id() + ",+12125550101," + abandoned.answeredAt() + ",800,");
        assertThat(csv.lines().filter(l -> l.startsWith("1,"))).as("period 1's summary and its one abandoned call").hasSize(2);
    }
}
