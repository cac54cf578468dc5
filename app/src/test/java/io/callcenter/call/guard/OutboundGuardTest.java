package io.callcenter.call.guard;

import io.callcenter.agent.Agent;
import io.callcenter.routing.DoNotCallList;
import io.callcenter.routing.Team;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class OutboundGuardTest {

    private final DoNotCallList doNotCall = mock(DoNotCallList.class);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final Team team = new Team(UUID.randomUUID(), "Psychology", "+15550100", Duration.ofHours(6),
            List.of("+1"), Duration.ofSeconds(60));
    private final Agent alice = new Agent(UUID.randomUUID(), "1001", "Alice", team.id(), Agent.Phone.WEBRTC);
    private final OutboundGuard guard = new OutboundGuard(doNotCall, clock, 3);

    @Test
    void allowed_numbers_pass() {
        assertThat(guard.check(alice, team, "+15557654321")).isEmpty();
    }

    @Test
    void destinations_outside_the_teams_prefixes_and_premium_rate_numbers_are_refused() {
        assertThat(guard.check(alice, team, "+442071234567")).hasValueSatisfying(r -> assertThat(r.slug()).isEqualTo("country-not-allowed"));
        assertThat(guard.check(alice, team, "+19005550123")).as("US 900 premium rate")
                .hasValueSatisfying(r -> assertThat(r.detail()).contains("premium-rate"));
    }

    @Test
    void the_default_countries_are_the_us_and_canada_not_every_country_of_plus_one() {
        assertThat(guard.check(alice, team, "+14165550123")).as("Toronto").isEmpty();
        assertThat(guard.check(alice, team, "+18765550123")).as("Jamaica, +1 876").hasValueSatisfying(r -> {
            assertThat(r.slug()).isEqualTo("country-not-allowed");
            assertThat(r.detail()).contains("(JM)");
        });
        assertThat(guard.check(alice, team, "+18095550123")).as("Dominican Republic, +1 809").isPresent();
        assertThat(guard.check(alice, team, "+12645550123")).as("Anguilla, +1 264").isPresent();
    }

    @Test
    void a_team_may_be_given_more_countries_and_prefixes_narrow_within_them() {
        Team europe = new Team(team.id(), "Europe", "+15550100", Duration.ofHours(6), List.of("+1", "+4420"),
                Duration.ZERO, List.of("US", "GB"));
        assertThat(guard.checkNumber(europe, "+442071234567")).as("London").isEmpty();
        assertThat(guard.checkNumber(europe, "+441612345678")).as("Manchester: GB but outside +4420").isPresent();
        assertThat(guard.checkNumber(europe, "+14165550123")).as("Canada is not in this team's list").isPresent();
    }

    @Test
    void a_team_past_its_outbound_minutes_in_the_hour_is_refused_until_enough_of_them_age_out() {
        OutboundGuard capped = new OutboundGuard(doNotCall, clock, 100, Duration.ofMinutes(60));
        capped.outboundEnded(team.id(), clock.instant(), Duration.ofMinutes(40));
        clock.advance(Duration.ofMinutes(10));
        capped.outboundEnded(team.id(), clock.instant(), Duration.ofMinutes(19));
        assertThat(capped.check(alice, team, "+15557654321")).as("59 of 60 minutes").isEmpty();
        capped.outboundEnded(team.id(), clock.instant(), Duration.ofMinutes(2));
        assertThat(capped.check(alice, team, "+15557654321")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.slug()).isEqualTo("team-minutes-exhausted");
            // The 40 minutes age out an hour after they ended, 50 minutes from now.
            assertThat(r.retryAfter()).isEqualTo(Duration.ofMinutes(50).plusSeconds(1));
        });
        Team other = new Team(UUID.randomUUID(), "Sales", "+15550200", Duration.ofHours(6));
        assertThat(capped.checkNumber(other, "+15557654321")).as("per team").isEmpty();
        clock.advance(Duration.ofMinutes(50).plusSeconds(1));
        assertThat(capped.check(alice, team, "+15557654321")).isEmpty();
    }

    @Test
    void do_not_call_numbers_are_refused_with_403() {
        when(doNotCall.contains("+15557654321")).thenReturn(true);
        assertThat(guard.check(alice, team, "+15557654321")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.cause()).isEqualTo("do_not_call");
        });
    }

    @Test
    void a_do_not_call_read_started_ahead_refuses_as_the_check_own_read_does_and_other_numbers_pass() {
        when(doNotCall.contains("+15557654321")).thenReturn(true);
        assertThat(guard.check(alice, team, "+15557654321", guard.listedAhead("+15557654321"))).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.cause()).isEqualTo("do_not_call");
        });
        assertThat(guard.check(alice, team, "+15557654322", guard.listedAhead("+15557654322"))).isEmpty();
    }

    @Test
    void a_do_not_call_read_ahead_that_failed_fails_the_check_with_its_own_error_and_counts_no_dial() {
        IllegalStateException away = new IllegalStateException("database away");
        when(doNotCall.contains("+15557654321")).thenThrow(away);
        OutboundGuard one = new OutboundGuard(doNotCall, clock, 1);
        var listed = one.listedAhead("+15557654321");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> one.check(alice, team, "+15557654321", listed)).isSameAs(away);
        assertThat(one.check(alice, team, "+15557654322")).as("the failed attempt used none of the agent's one dial a minute").isEmpty();
    }

    @Test
    void a_number_outside_the_team_countries_is_refused_for_that_even_when_listed_ahead() {
        when(doNotCall.contains("+442071234567")).thenReturn(true);
        assertThat(guard.check(alice, team, "+442071234567", guard.listedAhead("+442071234567")))
                .hasValueSatisfying(r -> assertThat(r.slug()).isEqualTo("country-not-allowed"));
    }

    @Test
    void an_agent_dialling_faster_than_the_limit_is_slowed_down_and_may_dial_again_a_minute_later() {
        for (int i = 0; i < 3; i++) {
            assertThat(guard.check(alice, team, "+1555765432" + i)).isEmpty();
        }
        assertThat(guard.check(alice, team, "+15557654329")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.retryAfter()).isPositive();
        });
        Agent bob = new Agent(UUID.randomUUID(), "1002", "Bob", team.id(), Agent.Phone.WEBRTC);
        assertThat(guard.check(bob, team, "+15557654329")).as("the limit is per agent").isEmpty();
        clock.advance(Duration.ofSeconds(61));
        assertThat(guard.check(alice, team, "+15557654329")).isEmpty();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
