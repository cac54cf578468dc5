package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTest {

    @Test
    void fixed_ratio_keeps_ratio_times_available_agents_in_flight() {
        assertThat(Pacer.dialsToStart(1.5, 2, 0)).isEqualTo(3);
        assertThat(Pacer.dialsToStart(1.5, 3, 0)).as("ceil(4.5)").isEqualTo(5);
        assertThat(Pacer.dialsToStart(2.0, 2, 3)).isEqualTo(1);
        assertThat(Pacer.dialsToStart(3.0, 1, 5)).as("already more in flight").isZero();
        assertThat(Pacer.dialsToStart(3.0, 0, 0)).as("nobody to take a person").isZero();
        assertThat(Pacer.dialsToStart(1.0, 4, 0)).isEqualTo(4);
    }

    private static Pacer.Measurement measured(long humans, long abandons, int intervalHumans, int intervalAbandons, double idle) {
        return new Pacer.Measurement(humans, abandons, intervalHumans, intervalAbandons, idle);
    }

    @Test
    void adaptive_dials_harder_while_agents_wait_and_nothing_is_abandoned() {
        assertThat(Pacer.adapt(1.5, measured(100, 0, 10, 0, 0.4), 0.03)).isEqualTo(1.7);
        assertThat(Pacer.adapt(1.5, measured(100, 0, 10, 0, 0.1), 0.03)).isEqualTo(1.55);
        assertThat(Pacer.adapt(1.5, measured(100, 0, 10, 0, 0.0), 0.03)).as("agents busy: hold").isEqualTo(1.5);
    }

    @Test
    void adaptive_backs_off_hard_once_the_window_rate_nears_the_target() {
        assertThat(Pacer.adapt(2.8, measured(100, 3, 10, 1, 0.5), 0.03)).as("3% of 100 > 80% of target").isEqualTo(1.0);
        assertThat(Pacer.adapt(2.8, measured(1000, 20, 10, 1, 0.5), 0.03)).as("2% is past the headroom").isEqualTo(2.5);
        assertThat(Pacer.adapt(2.8, measured(1000, 20, 10, 0, 0.5), 0.03)).as("no new abandon: creep").isEqualTo(2.85);
        assertThat(Pacer.adapt(2.0, measured(1000, 5, 10, 1, 0.5), 0.03)).as("10% this interval").isEqualTo(1.9);
    }

    @Test
    void adaptive_ratio_stays_between_one_and_three() {
        assertThat(Pacer.adapt(3.0, measured(100, 0, 10, 0, 0.9), 0.03)).isEqualTo(3.0);
        assertThat(Pacer.adapt(1.0, measured(100, 10, 10, 5, 0.0), 0.03)).isEqualTo(1.0);
        assertThat(Pacer.clamp(0.2)).isEqualTo(1.0);
        assertThat(Pacer.clamp(7)).isEqualTo(3.0);
    }
}
