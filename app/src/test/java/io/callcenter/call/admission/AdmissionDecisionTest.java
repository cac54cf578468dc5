package io.callcenter.call.admission;

import io.callcenter.call.admission.AdmissionDecision.Limits;
import io.callcenter.call.admission.AdmissionDecision.Outcome;
import io.callcenter.call.admission.AdmissionDecision.Present;
import io.callcenter.call.admission.AdmissionDecision.Signals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionDecisionTest {

    private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
    private static final Limits LIMITS = new Limits(100, 2000, 50, 0.5, Duration.ofSeconds(2),
            Duration.ofSeconds(10), Duration.ofSeconds(5));

    private static Signals calls(int active) {
        return new Signals(active, 0, 0, 0, Duration.ZERO);
    }

    private static Signals ari(long requests, long errors, long meanMillis) {
        return new Signals(10, 0, requests, errors, Duration.ofMillis(meanMillis));
    }

    @Test
    void below_the_limit_a_call_is_admitted_and_at_it_refused_until_one_ends() {
        assertThat(AdmissionDecision.decide(Present.HEALTHY, calls(99), LIMITS, T0).admitted()).isTrue();
        Outcome full = AdmissionDecision.decide(Present.HEALTHY, calls(100), LIMITS, T0);
        assertThat(full.refusal()).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("calls-at-limit");
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        });
        // The count is exact: no cool-down, the next call after one ended gets in at once.
        assertThat(full.next()).isEqualTo(Present.HEALTHY);
        assertThat(AdmissionDecision.decide(full.next(), calls(99), LIMITS, T0.plusMillis(1)).admitted()).isTrue();
    }

    @Test
    void a_limit_of_zero_is_no_limit() {
        Limits off = new Limits(0, 0, 0, 0, Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertThat(AdmissionDecision.decide(Present.HEALTHY, new Signals(100_000, 100_000, 1000, 1000,
                Duration.ofSeconds(30)), off, T0).admitted()).isTrue();
        assertThat(AdmissionDecision.headroom(calls(5000), off)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void asterisk_failing_half_its_requests_closes_the_door_for_the_cool_down_after_it_last_failed() {
        Outcome failing = AdmissionDecision.decide(Present.HEALTHY, ari(60, 30, 40), LIMITS, T0);
        assertThat(failing.refusal()).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("asterisk-errors");
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        });
        assertThat(failing.next()).isEqualTo(new Present(T0.plusSeconds(10), "asterisk-errors"));

        // Healthy again 4 s later: still closed, for the rest of the cool-down.
        Outcome recovering = AdmissionDecision.decide(failing.next(), ari(60, 0, 40), LIMITS, T0.plusSeconds(4));
        assertThat(recovering.refusal()).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("asterisk-errors");
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(6));
        });
        // Failing again at 8 s pushes the end to 18 s.
        Outcome again = AdmissionDecision.decide(recovering.next(), ari(60, 40, 40), LIMITS, T0.plusSeconds(8));
        assertThat(again.next().closedUntil()).isEqualTo(T0.plusSeconds(18));
        assertThat(AdmissionDecision.decide(again.next(), ari(60, 0, 40), LIMITS, T0.plusSeconds(17)).admitted()).isFalse();

        Outcome open = AdmissionDecision.decide(again.next(), ari(60, 0, 40), LIMITS, T0.plusSeconds(18));
        assertThat(open.admitted()).isTrue();
        assertThat(open.next()).isEqualTo(Present.HEALTHY);
    }

    @Test
    void a_few_failed_requests_say_nothing() {
        // Below the minimum of requests (a quiet node, a call hung up under a command): no verdict on Asterisk.
        assertThat(AdmissionDecision.decide(Present.HEALTHY, ari(49, 49, 5000), LIMITS, T0).admitted()).isTrue();
        // Enough requests, few failures: fine.
        assertThat(AdmissionDecision.decide(Present.HEALTHY, ari(100, 49, 40), LIMITS, T0).admitted()).isTrue();
    }

    @Test
    void slow_asterisk_and_backed_up_lanes_close_the_door_too() {
        assertThat(AdmissionDecision.decide(Present.HEALTHY, ari(100, 0, 2000), LIMITS, T0).refusal())
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("asterisk-slow"));
        assertThat(AdmissionDecision.decide(Present.HEALTHY, ari(100, 0, 1999), LIMITS, T0).admitted()).isTrue();
        Outcome lanes = AdmissionDecision.decide(Present.HEALTHY, new Signals(10, 2000, 0, 0, Duration.ZERO), LIMITS, T0);
        assertThat(lanes.refusal()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("lanes-backlogged"));
        assertThat(lanes.next().closedUntil()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void headroom_is_what_is_left_under_the_limit() {
        assertThat(AdmissionDecision.headroom(calls(97), LIMITS)).isEqualTo(3);
        assertThat(AdmissionDecision.headroom(calls(130), LIMITS)).isZero();
    }
}
