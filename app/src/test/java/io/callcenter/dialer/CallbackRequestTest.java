package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A CALLBACK's time and owner, and why a CALLBACK never closes a lead, on a fixed clock. */
class CallbackRequestTest {

    /** Monday 2026-03-02 10:00 in New York. */
    private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
    private final Lead newYork = lead("+12125550101", null);
    private final CallingHours campaign = new CallingHours(java.time.LocalTime.of(9, 0), java.time.LocalTime.of(20, 0));

    private static Lead lead(String e164, String zone) {
        return new Lead(UUID.randomUUID(), UUID.randomUUID(), e164, "Jane Doe", null, zone, "DIALING", 1, null, null,
                null, NOW);
    }

    @Test
    void the_time_is_read_on_the_persons_wall_clock() {
        CallbackRequest.Decision d = CallbackRequest.decide(newYork, LocalDateTime.parse("2026-03-03T14:30"), campaign,
                CallingHours.DEFAULT, NOW);
        assertThat(d.accepted()).isTrue();
        assertThat(d.zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(d.dueAt()).isEqualTo(Instant.parse("2026-03-03T19:30:00Z"));
    }

    @Test
    void a_list_zone_decides_whose_wall_clock_it_is() {
        Lead listed = lead("+12125550101", "America/Chicago");
        CallbackRequest.Decision d = CallbackRequest.decide(listed, LocalDateTime.parse("2026-03-03T14:30"), campaign,
                CallingHours.DEFAULT, NOW);
        assertThat(d.dueAt()).isEqualTo(Instant.parse("2026-03-03T20:30:00Z"));
    }

    @Test
    void outside_the_campaigns_hours_or_the_laws_it_is_refused() {
        assertThat(CallbackRequest.decide(newYork, LocalDateTime.parse("2026-03-03T08:30"), campaign,
                CallingHours.DEFAULT, NOW).refusal()).contains("outside the calling hours");
        assertThat(CallbackRequest.decide(newYork, LocalDateTime.parse("2026-03-03T21:30"),
                new CallingHours(java.time.LocalTime.of(8, 0), java.time.LocalTime.of(21, 0)),
                CallingHours.DEFAULT, NOW).refusal()).contains("outside the calling hours");
        assertThat(CallbackRequest.decide(newYork, LocalDateTime.parse("2026-03-03T19:59"), campaign,
                CallingHours.DEFAULT, NOW).accepted()).isTrue();
    }

    @Test
    void in_the_past_or_too_far_ahead_it_is_refused() {
        assertThat(CallbackRequest.decide(newYork, LocalDateTime.parse("2026-03-02T09:59"), campaign,
                CallingHours.DEFAULT, NOW).refusal()).contains("has passed");
        assertThat(CallbackRequest.decide(newYork, LocalDateTime.parse("2026-06-02T10:00"), campaign,
                CallingHours.DEFAULT, NOW).refusal()).contains("at most 60 days");
    }

    @Test
    void the_owner_is_the_agent_only_when_asked_for() {
        UUID agent = UUID.randomUUID();
        assertThat(CallbackRequest.ownerAgent(CallbackRequest.Owner.AGENT, agent)).contains(agent);
        assertThat(CallbackRequest.ownerAgent(CallbackRequest.Owner.CAMPAIGN, agent)).isEmpty();
    }

    @Test
    void a_callback_never_closes_a_lead_even_past_the_maximum_attempts() {
        RetryRules rules = RetryRules.DEFAULT;
        Instant ended = NOW;
        assertThat(rules.next(rules.maxAttempts(), Outcome.NO_ANSWER, ended)).as("other outcomes close at the maximum")
                .isEmpty();
        assertThat(rules.next(rules.maxAttempts(), Outcome.CALLBACK, ended)).contains(ended.plus(RetryRules.CALLBACK_WAIT));
        RetryRules own = new RetryRules(3, Duration.ofHours(1), Map.of(Outcome.CALLBACK, Duration.ofHours(2)));
        assertThat(own.next(7, Outcome.CALLBACK, ended)).contains(ended.plus(Duration.ofHours(2)));
    }
}
