package io.callcenter.report;

import io.callcenter.web.ApiProblem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The report formulas on counts worked out by hand, the local-day ranges and the CSV cells. */
class ReportFiguresTest {

    @Test
    void service_level_and_abandon_rate_leave_short_abandons_out_of_the_denominator() {
        // 10 offered, 2 of them gone within 5 s: 8 count; 6 answered within the threshold, 1 abandoned.
        Figures.Counts counts = new Figures.Counts(10, 7, 1, 2, 6, 7 * 12.0, 6 * 200.0, 6, 95.0);
        Figures.IntervalRow row = Figures.IntervalRow.of(LocalDateTime.parse("2026-03-10T09:00"), counts);
        assertThat(row.serviceLevel()).isCloseTo(6.0 / 8, within(1e-12));
        assertThat(row.abandonRate()).isCloseTo(1.0 / 8, within(1e-12));
        assertThat(row.asaSeconds()).isCloseTo(12.0, within(1e-12));
        assertThat(row.ahtSeconds()).as("over the 6 that ended, not the 7 answered").isCloseTo(200.0, within(1e-12));
        assertThat(row.longestWaitSeconds()).isEqualTo(95.0);
    }

    @Test
    void an_interval_without_calls_has_no_rates_rather_than_zero() {
        Figures.IntervalRow row = Figures.IntervalRow.of(LocalDateTime.parse("2026-03-10T09:00"), Figures.Counts.ZERO);
        assertThat(row.serviceLevel()).isNull();
        assertThat(row.abandonRate()).isNull();
        assertThat(row.asaSeconds()).isNull();
        assertThat(row.ahtSeconds()).isNull();
        // Only short abandons: nothing counted, still no rate.
        assertThat(Figures.IntervalRow.of(null, new Figures.Counts(2, 0, 0, 2, 0, 0, 0, 0, 3.0)).serviceLevel()).isNull();
    }

    @Test
    void totals_add_counts_and_keep_the_longest_wait() {
        Figures.Counts a = new Figures.Counts(4, 2, 1, 1, 1, 40, 180, 2, 45.0);
        Figures.Counts b = new Figures.Counts(2, 2, 0, 0, 2, 25, 330, 2, 20.0);
        Figures.Counts sum = a.plus(b).plus(Figures.Counts.ZERO);
        assertThat(sum).isEqualTo(new Figures.Counts(6, 4, 1, 1, 3, 65, 510, 4, 45.0));
    }

    @Test
    void a_day_is_the_local_day_of_the_viewer_even_across_a_clock_change() {
        ReportRange springForward = ReportRange.parse("2026-03-08", "2026-03-08", "America/New_York", LocalDate.now());
        assertThat(Duration.between(springForward.start(), springForward.end())).isEqualTo(Duration.ofHours(23));
        assertThat(springForward.start().toString()).isEqualTo("2026-03-08T05:00:00Z");
        ReportRange week = ReportRange.parse("2026-03-09", "2026-03-15", "Europe/Berlin", LocalDate.now());
        assertThat(Duration.between(week.start(), week.end())).isEqualTo(Duration.ofDays(7));
        ReportRange today = ReportRange.parse(null, null, null, LocalDate.parse("2026-11-27"));
        assertThat(today.from()).isEqualTo(today.to()).isEqualTo(LocalDate.parse("2026-11-27"));
        assertThat(today.zone().getId()).isEqualTo("UTC");
    }

    @Test
    void bad_ranges_zones_and_intervals_are_problems() {
        LocalDate now = LocalDate.parse("2026-11-27");
        assertThatThrownBy(() -> ReportRange.parse("2026-03-10", "2026-03-09", "UTC", now)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> ReportRange.parse("10/03/2026", null, "UTC", now)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> ReportRange.parse(null, null, "Mars/Olympus", now)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> ReportRange.parse("2024-01-01", "2026-01-01", "UTC", now)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> ReportRange.Interval.parse("week")).isInstanceOf(ApiProblem.class);
        assertThat(ReportRange.Interval.parse("15m")).isEqualTo(ReportRange.Interval.QUARTER);
        assertThat(ReportRange.Interval.parse(null)).isEqualTo(ReportRange.Interval.HOUR);
    }

    @Test
    void csv_cells_are_quoted_and_never_run_as_formulas() {
        assertThat(ReportCsv.line("a,b", "say \"hi\"", 0.25, 3L, null, "+12125550001", "=HYPERLINK(\"x\")"))
                .isEqualTo("\"a,b\",\"say \"\"hi\"\"\",0.25,3,,+12125550001,\"'=HYPERLINK(\"\"x\"\")\"\r\n");
        assertThat(ReportCsv.line(10.0, 1.0 / 3)).isEqualTo("10,0.3333\r\n");
    }
}
