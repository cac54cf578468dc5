package io.callcenter.destination;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schedules decide by the wall-clock time of their own zone: the same instant is open in one zone and closed in
 * another, 09:00 stays 09:00 across a daylight-saving change, and an exceptional period beats the weekly hours.
 */
class ScheduleTest {

    private static final Destination OPEN = new Destination.Queue(UUID.randomUUID());
    private static final Destination CLOSED = new Destination.Announcement("sound:vm-nobodyavail");
    private static final Destination HOLIDAY = new Destination.Announcement("sound:ss-noservice");

    private static Schedule weekdays(String zone, List<Schedule.Exceptional> exceptions) {
        List<Schedule.Period> periods = List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                DayOfWeek.THURSDAY, DayOfWeek.FRIDAY).stream()
                .map(day -> new Schedule.Period(day, LocalTime.of(9, 0), LocalTime.of(17, 0))).toList();
        return new Schedule(UUID.randomUUID(), UUID.randomUUID(), "Office", ZoneId.of(zone), periods, OPEN, exceptions, CLOSED);
    }

    /** Open at night until 09:00 (a night line), closed from 09:00. */
    private static Schedule nightLine(String zone) {
        List<Schedule.Period> periods = List.of(new Schedule.Period(DayOfWeek.FRIDAY, LocalTime.MIDNIGHT, LocalTime.of(9, 0)));
        return new Schedule(UUID.randomUUID(), UUID.randomUUID(), "Night", ZoneId.of(zone), periods, OPEN, List.of(), CLOSED);
    }

    @Test
    void open_at_08_59_and_closed_at_09_00_in_the_schedules_zone_not_the_servers() {
        Schedule tokyo = nightLine("Asia/Tokyo");
        // Friday 2026-11-27 08:59 and 09:00 in Tokyo are 23:59 and 00:00 UTC on Thursday night.
        assertThat(tokyo.decide(Instant.parse("2026-11-26T23:59:00Z")).destination()).isEqualTo(OPEN);
        assertThat(tokyo.decide(Instant.parse("2026-11-27T00:00:00Z")).destination()).isEqualTo(CLOSED);
        assertThat(tokyo.decide(Instant.parse("2026-11-27T00:00:00Z")).why()).isEqualTo("closed");

        // The same instants in New York are Thursday evening: closed, whatever Tokyo says.
        Schedule newYork = nightLine("America/New_York");
        assertThat(newYork.decide(Instant.parse("2026-11-26T23:59:00Z")).destination()).isEqualTo(CLOSED);
        assertThat(newYork.decide(Instant.parse("2026-11-27T13:59:00Z")).destination()).isEqualTo(OPEN);
        assertThat(newYork.decide(Instant.parse("2026-11-27T14:00:00Z")).destination()).isEqualTo(CLOSED);
    }

    @Test
    void opening_hours_follow_the_wall_clock_across_the_spring_daylight_saving_change() {
        Schedule berlin = weekdays("Europe/Berlin", List.of());
        // Friday 2026-03-27, winter time (UTC+1): 09:00 is 08:00Z.
        assertThat(berlin.decide(Instant.parse("2026-03-27T07:59:00Z")).destination()).isEqualTo(CLOSED);
        assertThat(berlin.decide(Instant.parse("2026-03-27T08:00:00Z")).destination()).isEqualTo(OPEN);
        // Clocks go forward on Sunday 2026-03-29. Monday 2026-03-30, summer time (UTC+2): 09:00 is 07:00Z; a fixed
        // offset taken from Friday would still call 07:00Z 08:00 and keep the line closed.
        assertThat(berlin.decide(Instant.parse("2026-03-30T06:59:00Z")).destination()).isEqualTo(CLOSED);
        assertThat(berlin.decide(Instant.parse("2026-03-30T07:00:00Z")).destination()).isEqualTo(OPEN);
        assertThat(berlin.decide(Instant.parse("2026-03-30T14:59:00Z")).destination()).isEqualTo(OPEN);
        assertThat(berlin.decide(Instant.parse("2026-03-30T15:00:00Z")).destination()).isEqualTo(CLOSED);
    }

    @Test
    void opening_hours_follow_the_wall_clock_across_the_autumn_change_in_new_york() {
        Schedule newYork = weekdays("America/New_York", List.of());
        // Friday 2026-10-30 (EDT, UTC-4): 17:00 is 21:00Z. Monday 2026-11-02 (EST, UTC-5): 17:00 is 22:00Z.
        assertThat(newYork.decide(Instant.parse("2026-10-30T20:59:00Z")).destination()).isEqualTo(OPEN);
        assertThat(newYork.decide(Instant.parse("2026-10-30T21:00:00Z")).destination()).isEqualTo(CLOSED);
        assertThat(newYork.decide(Instant.parse("2026-11-02T21:30:00Z")).destination()).isEqualTo(OPEN);
        assertThat(newYork.decide(Instant.parse("2026-11-02T22:00:00Z")).destination()).isEqualTo(CLOSED);
    }

    @Test
    void a_holiday_sends_calls_to_its_own_destination_even_within_opening_hours() {
        Schedule berlin = weekdays("Europe/Berlin", List.of(new Schedule.Exceptional("Christmas",
                LocalDateTime.parse("2026-12-25T00:00"), LocalDateTime.parse("2026-12-26T00:00"), HOLIDAY)));
        // Friday 2026-12-25 10:00 in Berlin (UTC+1).
        Schedule.Decision christmas = berlin.decide(Instant.parse("2026-12-25T09:00:00Z"));
        assertThat(christmas.destination()).isEqualTo(HOLIDAY);
        assertThat(christmas.why()).isEqualTo("exceptional period Christmas");
        // The holiday ends at local midnight, 23:00Z; the next day is a Saturday: closed.
        assertThat(berlin.decide(Instant.parse("2026-12-25T22:59:00Z")).destination()).isEqualTo(HOLIDAY);
        assertThat(berlin.decide(Instant.parse("2026-12-25T23:00:00Z")).destination()).isEqualTo(CLOSED);
        // The Thursday before is an ordinary open day.
        assertThat(berlin.decide(Instant.parse("2026-12-24T09:00:00Z")).destination()).isEqualTo(OPEN);
    }
}
