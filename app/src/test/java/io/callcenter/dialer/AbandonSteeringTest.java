package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Predictive mode's controller on the measured abandon rate, on a fake clock. */
class AbandonSteeringTest {

    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private final AbandonSteering steering = new AbandonSteering(Duration.ofSeconds(15));

    /** Intervals in which {@code live} people answered and {@code abandoned} were abandoned, from a clean period. */
    private double run(int intervals, int live, int abandoned) {
        double k = steering.aggressiveness();
        for (int i = 0; i <= intervals; i++) {
            k = steering.steer((long) i * live, (long) i * abandoned, 0.03, T0.plusSeconds(15L * i));
        }
        return k;
    }

    @Test
    void below_the_set_point_it_grows_bolder_above_it_more_careful() {
        assertThat(run(40, 10, 0)).isGreaterThan(AbandonSteering.START);
        AbandonSteering other = new AbandonSteering(Duration.ofSeconds(15));
        double k = other.aggressiveness();
        for (int i = 0; i <= 40; i++) {
            k = other.steer(i * 10L, i, 0.03, T0.plusSeconds(15L * i));
        }
        assertThat(k).as("10% abandons").isLessThan(AbandonSteering.START);
    }

    @Test
    void it_moves_once_an_interval_and_not_before_it_has_measured_enough_calls() {
        assertThat(steering.steer(0, 0, 0.03, T0)).isEqualTo(AbandonSteering.START);
        assertThat(steering.steer(10, 0, 0.03, T0.plusSeconds(15))).as("10 calls: too few").isEqualTo(AbandonSteering.START);
        double moved = steering.steer(AbandonSteering.MIN_RECENT, 0, 0.03, T0.plusSeconds(30));
        assertThat(moved).isGreaterThan(AbandonSteering.START);
        assertThat(steering.steer(AbandonSteering.MIN_RECENT * 2, 0, 0.03, T0.plusSeconds(31))).as("within the interval")
                .isEqualTo(moved);
    }

    @Test
    void it_stays_between_its_bounds() {
        assertThat(run(2000, 10, 0)).isEqualTo(AbandonSteering.MAX);
        AbandonSteering other = new AbandonSteering(Duration.ofSeconds(15));
        double k = 0;
        for (int i = 0; i <= 2000; i++) {
            k = other.steer(i * 10L, i * 5L, 0.03, T0.plusSeconds(15L * i));
        }
        assertThat(k).isEqualTo(AbandonSteering.MIN);
    }

    @Test
    void the_set_point_tightens_as_the_period_spends_its_budget() {
        double base = 0.03 * AbandonSteering.SET_POINT;
        assertThat(AbandonSteering.setPoint(0.01, 0.03)).isEqualTo(base);
        assertThat(AbandonSteering.setPoint(base + 0.002, 0.03)).isLessThan(base);
        assertThat(AbandonSteering.setPoint(0.1, 0.03)).isEqualTo(0.03 * AbandonSteering.FLOOR);
    }
}
