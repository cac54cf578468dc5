package io.callcenter.call.engine;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A callback's calling hours: 08:00-21:00 where the called number is, whatever the clock of the app. */
class CallbackDiallerTest {

    private static final String NEW_YORK = "+12125550123";

    @Test
    void a_new_york_number_is_called_back_from_8_to_21_new_york_time() {
        // 2026-11-27: New York is at UTC-5.
        assertThat(CallbackDialler.insideCallingHours(NEW_YORK, Instant.parse("2026-11-27T12:59:59Z"))).isFalse();
        assertThat(CallbackDialler.insideCallingHours(NEW_YORK, Instant.parse("2026-11-27T13:00:00Z"))).isTrue();
        assertThat(CallbackDialler.insideCallingHours(NEW_YORK, Instant.parse("2026-11-28T01:59:59Z"))).isTrue();
        assertThat(CallbackDialler.insideCallingHours(NEW_YORK, Instant.parse("2026-11-28T02:00:00Z"))).isFalse();
    }

    @Test
    void daylight_saving_time_moves_the_window_in_utc() {
        // 2026-07-01: New York is at UTC-4, so 12:30 UTC is already 08:30 there.
        assertThat(CallbackDialler.insideCallingHours(NEW_YORK, Instant.parse("2026-07-01T12:30:00Z"))).isTrue();
        assertThat(CallbackDialler.insideCallingHours(NEW_YORK, Instant.parse("2026-11-27T12:30:00Z"))).isFalse();
    }

    @Test
    void a_number_of_no_known_zone_is_called_and_garbage_is_not() {
        assertThat(CallbackDialler.insideCallingHours("+15551230000", Instant.parse("2026-11-27T05:00:00Z"))).isTrue();
        assertThat(CallbackDialler.insideCallingHours("not a number", Instant.parse("2026-11-27T15:00:00Z"))).isFalse();
    }
}
