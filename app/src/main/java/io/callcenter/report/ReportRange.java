package io.callcenter.report;

import io.callcenter.web.ApiProblem;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The days a report covers, in the viewer's time zone: {@code from} and {@code to} are both included, so
 * "2026-03-08..2026-03-08" in New York is the 23 hours of that day. Buckets are cut on the local wall clock too.
 */
record ReportRange(LocalDate from, LocalDate to, ZoneId zone, Instant start, Instant end) {

    /** A year: longer ranges are what the call export is for. */
    static final int MAX_DAYS = 366;

    enum Interval {
        QUARTER("15 minutes", Duration.ofMinutes(15)), HOUR("1 hour", Duration.ofHours(1)), DAY("1 day", Duration.ofDays(1));

        final String sql;
        final Duration length;

        Interval(String sql, Duration length) {
            this.sql = sql;
            this.length = length;
        }

        static Interval parse(String text) {
            if (text == null || text.isBlank()) {
                return HOUR;
            }
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "15m", "15min", "quarter" -> QUARTER;
                case "hour", "1h" -> HOUR;
                case "day", "1d" -> DAY;
                default -> throw ApiProblem.badRequest("interval must be 15m, hour or day");
            };
        }
    }

    static ReportRange parse(String from, String to, String zone, LocalDate today) {
        ZoneId zoneId;
        try {
            zoneId = zone == null || zone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw ApiProblem.badRequest("zone must be a time zone such as Europe/Berlin, not '" + zone + "'");
        }
        LocalDate first;
        LocalDate last;
        try {
            first = from == null || from.isBlank() ? today : LocalDate.parse(from.strip());
            last = to == null || to.isBlank() ? first : LocalDate.parse(to.strip());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("from and to are dates written YYYY-MM-DD");
        }
        if (last.isBefore(first)) {
            throw ApiProblem.badRequest("to must not be before from");
        }
        if (first.plusDays(MAX_DAYS).isBefore(last)) {
            throw ApiProblem.badRequest("a report covers at most " + MAX_DAYS + " days");
        }
        return new ReportRange(first, last, zoneId, first.atStartOfDay(zoneId).toInstant(),
                last.plusDays(1).atStartOfDay(zoneId).toInstant());
    }
}
