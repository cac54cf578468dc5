package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallingHoursTest {

    private static final CallingHours HOURS = CallingHours.DEFAULT;

    @Test
    void the_zone_comes_from_the_number() {
        assertThat(CallingHours.zonesOf("+12125551234")).containsExactly(ZoneId.of("America/New_York"));
        assertThat(CallingHours.zonesOf("+14155551234")).containsExactly(ZoneId.of("America/Los_Angeles"));
        assertThat(CallingHours.zonesOf("+15557654321")).as("fictional 555 numbers have no zone").isEmpty();
    }

    @Test
    void eight_to_nine_in_the_leads_local_time() {
        // 13:30 UTC in November: 08:30 in New York, 05:30 in Los Angeles.
        Instant morning = Instant.parse("2026-11-25T13:30:00Z");
        assertThat(HOURS.allows(morning, CallingHours.zonesOf("+12125551234"))).isTrue();
        assertThat(HOURS.allows(morning, CallingHours.zonesOf("+14155551234"))).isFalse();
        // 02:00 UTC: 21:00 in New York (end is exclusive), 18:00 in Los Angeles.
        Instant evening = Instant.parse("2026-11-26T02:00:00Z");
        assertThat(HOURS.allows(evening, CallingHours.zonesOf("+12125551234"))).isFalse();
        assertThat(HOURS.allows(evening, CallingHours.zonesOf("+14155551234"))).isTrue();
    }

    @Test
    void a_number_spanning_zones_is_called_only_while_every_zone_is_inside_the_hours() {
        List<ZoneId> alaska = CallingHours.zonesOf("+19075550000");
        assertThat(alaska).contains(ZoneId.of("America/Anchorage"), ZoneId.of("America/Adak"));
        // 17:30 UTC: 08:30 in Anchorage but 07:30 on Adak.
        assertThat(HOURS.allows(Instant.parse("2026-11-25T17:30:00Z"), alaska)).isFalse();
        assertThat(HOURS.allows(Instant.parse("2026-11-25T18:30:00Z"), alaska)).isTrue();
    }

    @Test
    void the_lead_lists_zone_narrows_the_numbers_never_widens_and_unknown_zones_never_dial() {
        assertThat(CallingHours.zonesFor("+12125551234", "America/Chicago"))
                .containsExactly(ZoneId.of("America/New_York"), ZoneId.of("America/Chicago"));
        // 13:30 UTC: 08:30 in New York, 07:30 in Chicago: the list's zone closes the window, the number's keeps it shut.
        assertThat(HOURS.allows(Instant.parse("2026-11-25T13:30:00Z"),
                CallingHours.zonesFor("+12125551234", "America/Chicago"))).isFalse();
        // 01:30 UTC: 19:30 in Chicago but 20:30 in New York, and 01:30 on the list's claimed Europe/London.
        assertThat(HOURS.allows(Instant.parse("2026-11-26T01:30:00Z"),
                CallingHours.zonesFor("+12125551234", "Europe/London"))).isFalse();
        assertThat(CallingHours.zonesFor("+15557654321", "America/Chicago")).as("a number without zones takes the list's")
                .containsExactly(ZoneId.of("America/Chicago"));
        assertThat(HOURS.allows(Instant.parse("2026-11-25T13:30:00Z"), List.of())).isFalse();
        assertThat(CallingHours.parseZone("Mars/Olympus")).isEmpty();
    }

    @Test
    void a_campaign_window_reaching_outside_eight_to_nine_is_held_to_the_law() {
        CallingHours early = new CallingHours(LocalTime.of(7, 0), LocalTime.of(22, 0));
        assertThat(early.within(CallingHours.DEFAULT)).isFalse();
        assertThat(HOURS.within(CallingHours.DEFAULT)).isTrue();
        assertThat(CallingHours.parse("08:00-21:00")).isEqualTo(CallingHours.DEFAULT);
        // 12:30 UTC: 07:30 in New York; 02:30 UTC: 21:30 there.
        assertThat(early.allows(Instant.parse("2026-11-25T12:30:00Z"), CallingHours.zonesOf("+12125551234"))).isFalse();
        assertThat(early.allows(Instant.parse("2026-11-26T02:30:00Z"), CallingHours.zonesOf("+12125551234"))).isFalse();
    }

    @Test
    void hours_must_start_before_they_end() {
        assertThatThrownBy(() -> new CallingHours(LocalTime.of(21, 0), LocalTime.of(8, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
