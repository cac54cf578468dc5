package io.callcenter.report;

import io.callcenter.identity.Caller;
import io.callcenter.routing.Team;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletResponse;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reports as JSON and CSV. Every one takes {@code teamId} (a manager's own team by default; another team answers
 * 404), {@code from} and {@code to} (dates, both included, in {@code zone}, the viewer's time zone).
 */
@RestController
@RequestMapping("/api/reports")
class ReportsController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final ReportService reports;
    private final CallExportRepository export;

    ReportsController(ReportService reports, CallExportRepository export) {
        this.reports = reports;
        this.export = export;
    }

    /**
     * The query every report takes, bound from the request's parameters: {@code teamId} (one's own by default),
     * {@code from}, {@code to} (dates, both included), {@code zone} (IANA), and for intervals {@code interval}.
     */
    record ReportQuery(UUID teamId, String from, String to, String zone, String interval) {
    }

    /** Offered, answered, abandoned (short abandons apart), service level, ASA, AHT, longest wait per interval. */
    @GetMapping("/intervals")
    Figures.IntervalReport intervals(Caller caller, @ParameterObject ReportQuery query) {
        Team team = reports.team(caller, query.teamId());
        return reports.intervals(team, range(query), ReportRange.Interval.parse(query.interval()));
    }

    // No produces= on the CSV endpoints: a refusal must still reach the client as problem+json.
    @GetMapping("/intervals.csv")
    ResponseEntity<String> intervalsCsv(Caller caller, @ParameterObject ReportQuery query) {
        Figures.IntervalReport report = intervals(caller, query);
        return csv("intervals", report.teamName(), ReportCsv.intervals(report));
    }

    /** Logged-in time, time by state, calls, AHT, wrap-up and dispositions per agent. */
    @GetMapping("/agents")
    Figures.AgentReport agents(Caller caller, @ParameterObject ReportQuery query) {
        return reports.agents(reports.team(caller, query.teamId()), range(query));
    }

    @GetMapping("/agents.csv")
    ResponseEntity<String> agentsCsv(Caller caller, @ParameterObject ReportQuery query) {
        Figures.AgentReport report = agents(caller, query);
        return csv("agents", report.teamName(), ReportCsv.agents(report));
    }

    /** Dials, humans, machines, abandons, connects per campaign; abandon rate over the rolling 30 days. */
    @GetMapping("/campaigns")
    Figures.CampaignReport campaigns(Caller caller, @ParameterObject ReportQuery query) {
        return reports.campaigns(reports.team(caller, query.teamId()), range(query));
    }

    @GetMapping("/campaigns.csv")
    ResponseEntity<String> campaignsCsv(Caller caller, @ParameterObject ReportQuery query) {
        Figures.CampaignReport report = campaigns(caller, query);
        return csv("campaigns", report.teamName(), ReportCsv.campaigns(report));
    }

    /**
     * Every call of the range with its legs, disposition and recording link, written while it is read from the
     * database cursor: memory stays flat however many calls the range holds. Written on the request's own thread,
     * not as an asynchronous StreamingResponseBody, whose request timeout (30 s) would cut a long export short.
     * Permission and range are checked before the first byte, so a refusal is still a problem+json answer.
     */
    @GetMapping("/calls.csv")
    void calls(Caller caller, @ParameterObject ReportQuery query, HttpServletResponse response) throws IOException {
        Team team = reports.team(caller, query.teamId());
        ReportRange range = range(query);
        response.setContentType(CSV.toString());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"calls-" + slug(team.name()) + "-"
                + range.from() + "-" + range.to() + ".csv\"");
        BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                64 * 1024);
        writer.write(ReportCsv.CALLS_HEADER);
        export.export(team.id(), range, row -> writer.write(ReportCsv.call(row)));
        writer.flush();
    }

    private ReportRange range(ReportQuery query) {
        return reports.range(query.from(), query.to(), query.zone());
    }

    private static ResponseEntity<String> csv(String what, String team, String body) {
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + what + "-" + slug(team) + ".csv\"")
                .body(body);
    }

    private static String slug(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
