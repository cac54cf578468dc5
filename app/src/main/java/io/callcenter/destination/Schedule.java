package io.callcenter.destination;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Opening hours with their destinations, evaluated in the schedule's own zone: an exceptional period (a holiday, a
 * closure) that covers the moment wins with its own destination; else an open period of that weekday sends the call
 * to {@code open}; else to {@code closed}. Times are wall-clock times of the zone, so 09:00 stays 09:00 across a
 * daylight-saving change.
 *
 * @param periods    weekly open periods, {@code [opens, closes)} on their day
 * @param exceptions exceptional periods, {@code [starts, ends)} in the zone's local time
 */
public record Schedule(UUID id, UUID teamId, String name, ZoneId zone, List<Period> periods, Destination open,
                       List<Exceptional> exceptions, Destination closed) {

    public Schedule {
        periods = List.copyOf(periods);
        exceptions = List.copyOf(exceptions);
    }

    public record Period(DayOfWeek day, LocalTime opens, LocalTime closes) {
        boolean covers(LocalDateTime local) {
            LocalTime time = local.toLocalTime();
            return local.getDayOfWeek() == day && !time.isBefore(opens) && time.isBefore(closes);
        }
    }

    public record Exceptional(String name, LocalDateTime starts, LocalDateTime ends, Destination destination) {
        boolean covers(LocalDateTime local) {
            return !local.isBefore(starts) && local.isBefore(ends);
        }
    }

    /** Which of the schedule's destinations applies at this instant, and why (for the call's log). */
    public record Decision(Destination destination, String why) {
    }

    public Decision decide(Instant at) {
        LocalDateTime local = ZonedDateTime.ofInstant(at, zone).toLocalDateTime();
        for (Exceptional exceptional : exceptions) {
            if (exceptional.covers(local)) {
                return new Decision(exceptional.destination(), "exceptional period " + exceptional.name());
            }
        }
        for (Period period : periods) {
            if (period.covers(local)) {
                return new Decision(open, "open");
            }
        }
        return new Decision(closed, "closed");
    }

    /** Every destination the schedule can send a call to (to check targets and cycles). */
    public List<Destination> destinations() {
        java.util.ArrayList<Destination> all = new java.util.ArrayList<>();
        all.add(open);
        all.add(closed);
        exceptions.forEach(exceptional -> all.add(exceptional.destination()));
        return all;
    }
}
