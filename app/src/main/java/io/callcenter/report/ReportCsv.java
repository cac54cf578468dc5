package io.callcenter.report;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The reports as CSV (RFC 4180): one header line, one line per row, the same figures as the JSON. */
final class ReportCsv {

    private static final List<String> STATES = List.of("AVAILABLE", "ON_CALL", "WRAP_UP", "BREAK", "OFFLINE");

    private ReportCsv() {
    }

    static String intervals(Figures.IntervalReport report) {
        StringBuilder out = new StringBuilder(line("interval_start", "offered", "answered", "abandoned",
                "short_abandoned", "service_level", "abandon_rate", "asa_seconds", "aht_seconds", "longest_wait_seconds"));
        for (Figures.IntervalRow row : report.rows()) {
            out.append(intervalLine(row.start().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), row));
        }
        out.append(intervalLine("total", report.total()));
        return out.toString();
    }

    private static String intervalLine(String label, Figures.IntervalRow r) {
        return line(label, r.offered(), r.answered(), r.abandoned(), r.shortAbandoned(), r.serviceLevel(),
                r.abandonRate(), r.asaSeconds(), r.ahtSeconds(), r.longestWaitSeconds());
    }

    static String agents(Figures.AgentReport report) {
        TreeSet<String> codes = new TreeSet<>();
        report.agents().forEach(a -> codes.addAll(a.dispositions().keySet()));
        List<Object> header = new ArrayList<>(List.of("extension", "name", "logged_in_seconds"));
        STATES.forEach(s -> header.add(s.toLowerCase(Locale.ROOT) + "_seconds"));
        header.addAll(List.of("calls", "aht_seconds", "avg_wrap_up_seconds"));
        codes.forEach(c -> header.add("disposition_" + c));
        StringBuilder out = new StringBuilder(line(header.toArray()));
        for (Figures.AgentRow a : report.agents()) {
            List<Object> cells = new ArrayList<>(List.of(a.extension(), a.name(), a.loggedInSeconds()));
            STATES.forEach(s -> cells.add(a.secondsByState().getOrDefault(s, 0.0)));
            cells.add(a.calls());
            cells.add(a.ahtSeconds());
            cells.add(a.avgWrapUpSeconds());
            codes.forEach(c -> cells.add(a.dispositions().getOrDefault(c, 0L)));
            out.append(line(cells.toArray()));
        }
        return out.toString();
    }

    static String campaigns(Figures.CampaignReport report) {
        StringBuilder out = new StringBuilder(line("campaign", "dials", "humans", "machines", "abandons", "connects",
                "abandon_rate", "rolling_30d_humans", "rolling_30d_abandons", "rolling_30d_abandon_rate",
                "connects_per_agent_hour"));
        for (Figures.CampaignRow c : report.campaigns()) {
            out.append(line(c.name(), c.dials(), c.humans(), c.machines(), c.abandons(), c.connects(), c.abandonRate(),
                    c.rolling30Humans(), c.rolling30Abandons(), c.rolling30AbandonRate(), c.connectsPerAgentHour()));
        }
        return out.toString();
    }

    static final String CALLS_HEADER = line("call_id", "direction", "origin", "from", "to", "agent", "started_at",
            "answered_at", "ended_at", "talk_seconds", "hangup_cause", "disposition", "disposition_note", "legs",
            "recording_url");

    static String call(CallExportRepository.ExportRow r) {
        return line(r.callId(), r.direction(), r.origin(), r.from(), r.to(), r.agentExtension(), r.createdAt(),
                r.answeredAt(), r.endedAt(), r.durationSeconds(), r.hangupCause(), r.disposition(), r.dispositionNote(),
                r.legs(), r.recorded() ? "/api/calls/" + r.callId() + "/recording" : null);
    }

    static String line(Object... cells) {
        return java.util.Arrays.stream(cells).map(ReportCsv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d).replaceAll("\\.?0+$", "")
                : value instanceof java.time.OffsetDateTime t ? t.toInstant().toString() : value.toString();
        // A cell a spreadsheet would run as a formula is quoted with a leading apostrophe (CSV injection).
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)
                && !text.matches("\\+[0-9]+")) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
