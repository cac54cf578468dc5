package io.callcenter.call.admission;

import io.callcenter.call.admission.AriHealthWindow.Totals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AriHealthWindowTest {

    private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");

    @Test
    void the_figures_are_those_of_the_last_window_not_since_start() {
        AriHealthWindow window = new AriHealthWindow(Duration.ofSeconds(10));
        window.sample(T0, new Totals(1000, 0, 20_000));
        // 10 s later: 100 more requests, 60 of them failed, 50 ms each.
        AriHealthWindow.Figures burst = window.sample(T0.plusSeconds(10), new Totals(1100, 60, 25_000));
        assertThat(burst).isEqualTo(new AriHealthWindow.Figures(100, 60, Duration.ofMillis(50)));
        for (int s = 11; s <= 20; s++) {
            window.sample(T0.plusSeconds(s), new Totals(1100 + 10L * (s - 10), 60, 25_000 + 100.0 * (s - 10)));
        }
        // The burst is out of the window: the last 10 s only (from the sample at 11 s), no failure, 10 ms each.
        assertThat(window.sample(T0.plusSeconds(21), new Totals(1210, 60, 26_100)))
                .isEqualTo(new AriHealthWindow.Figures(100, 0, Duration.ofMillis(10)));
    }

    @Test
    void no_requests_no_latency() {
        AriHealthWindow window = new AriHealthWindow(Duration.ofSeconds(10));
        assertThat(window.sample(T0, new Totals(5, 5, 500))).isEqualTo(new AriHealthWindow.Figures(0, 0, Duration.ZERO));
    }
}
