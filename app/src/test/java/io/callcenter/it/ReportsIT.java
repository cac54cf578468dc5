package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The reports over one seeded day whose every figure is worked out by hand below, on the real application and
 * PostgreSQL. The day is 2026-03-10 in New York (UTC-4, two days after the change to summer time); calls just
 * before and after that local day are seeded too and must not count, which a report cut on UTC days would.
 */
class ReportsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final String DAY = "from=2026-03-10&to=2026-03-10&zone=America/New_York";

    private static TestApp app;
    private static String databaseUrl;
    private static UUID psychology;
    private static UUID sales;
    private static UUID alice;
    private static UUID bob;
    private static UUID firstCall;

    @BeforeAll
    static void seedTheDay() throws SQLException {
        databaseUrl = TestDatabase.get().newDatabase();
        app = TestApp.start(databaseUrl, TestAsterisk.get());
        String admin = app.token("admin");
        for (JsonNode team : json(app.request("GET", "/api/admin/teams", null, admin))) {
            switch (team.path("name").asString()) {
                case "Psychology" -> psychology = UUID.fromString(team.path("id").asString());
                case "Sales" -> sales = UUID.fromString(team.path("id").asString());
                default -> { }
            }
        }
        for (JsonNode user : json(app.request("GET", "/api/admin/users", null, admin))) {
            switch (user.path("username").asString()) {
                case "alice" -> alice = UUID.fromString(user.path("agent").path("id").asString());
                case "bob" -> bob = UUID.fromString(user.path("agent").path("id").asString());
                default -> { }
            }
        }
        try (Connection db = connect()) {
            // Psychology's inbound calls: begun at, waited (s), talked (s, null: abandoned), agent, disposition.
            firstCall = call(db, "inbound", "09:05:00", 10, 120, alice, "ANSWERED");
            call(db, "inbound", "09:10:00", 30, 60, bob, "INTERESTED");
            call(db, "inbound", "09:20:00", 3, null, null, null);            // short abandon
            call(db, "inbound", "09:40:00", 45, null, null, null);           // abandoned
            call(db, "inbound", "10:15:00", 5, 300, alice, "INTERESTED");
            call(db, "inbound", "10:50:00", 20, 30, alice, null);            // at the threshold: within
            call(db, "outbound", "10:30:00", 8, 100, alice, "NOT_INTERESTED"); // an agent's call, not offered
            call(db, LocalDateTime.parse("2026-03-09T23:59:00"), "inbound", 2, 10, alice, null);  // the day before
            call(db, LocalDateTime.parse("2026-03-11T00:00:30"), "inbound", 2, 10, alice, null);  // the day after
            exec(db, "insert into call_leg (channel_id, call_id, role, endpoint, number, created_at, answered_at, ended_at) "
                    + "values ('leg-1', ?, 'caller', 'PJSIP/telnyx', '+12125550001', ?, ?, ?)",
                    firstCall, at("09:05:00"), at("09:05:10"), at("09:07:10"));
            exec(db, "insert into recording (id, call_id, name, format, started_at, ended_at) values (?, ?, 'rec-1', 'wav', ?, ?)",
                    UUID.randomUUID(), firstCall, at("09:05:10"), at("09:07:10"));

            // alice's day: offline since the evening before, 08:00-17:00 signed in.
            state(db, alice, "OFFLINE", LocalDateTime.parse("2026-03-09T20:00:00"));
            state(db, alice, "AVAILABLE", day("08:00:00"));
            state(db, alice, "ON_CALL", day("09:05:10"));
            state(db, alice, "WRAP_UP", day("09:07:10"));
            state(db, alice, "AVAILABLE", day("09:08:10"));
            state(db, alice, "BREAK", day("12:00:00"));
            state(db, alice, "AVAILABLE", day("12:30:00"));
            state(db, alice, "OFFLINE", day("17:00:00"));
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /**
     * Hour 09: offered 4, answered 2 (waits 10, 30), abandoned 1 (45 s), short 1 (3 s); within 20 s: 1 of 3 counted
     * → service level 1/3, abandon rate 1/3, ASA 20, AHT (120+60)/2 = 90, longest wait 45.
     * Hour 10: offered 2, answered 2 (waits 5, 20) → service level 2/2, ASA 12.5, AHT (300+30)/2 = 165, longest 20.
     * Day: offered 6, answered 4, abandoned 1, short 1, service level 3/5, abandon rate 1/5, ASA 65/4 = 16.25,
     * AHT 510/4 = 127.5, longest 45.
     */
    @Test
    void the_team_by_hour_in_the_viewers_zone() {
        JsonNode report = json(app.request("GET", "/api/reports/intervals?interval=hour&" + DAY, null, app.token("maria")));
        assertThat(report.path("source").asString()).isEqualTo("calls");
        assertThat(report.path("serviceLevelSeconds").asInt()).isEqualTo(20);
        JsonNode rows = report.path("rows");
        assertThat(rows).hasSize(2);
        expectInterval(rows.get(0), "2026-03-10T09:00:00", 4, 2, 1, 1, 1.0 / 3, 1.0 / 3, 20, 90, 45);
        expectInterval(rows.get(1), "2026-03-10T10:00:00", 2, 2, 0, 0, 1.0, 0.0, 12.5, 165, 20);
        expectInterval(report.path("total"), "2026-03-10T00:00:00", 6, 4, 1, 1, 0.6, 0.2, 16.25, 127.5, 45);

        JsonNode quarters = json(app.request("GET", "/api/reports/intervals?interval=15m&" + DAY, null, app.token("maria")));
        assertThat(quarters.path("rows").valueStream().map(r -> r.path("start").asString()).toList())
                .containsExactly("2026-03-10T09:00:00", "2026-03-10T09:15:00", "2026-03-10T09:30:00",
                        "2026-03-10T10:15:00", "2026-03-10T10:45:00");
        JsonNode days = json(app.request("GET", "/api/reports/intervals?interval=day&" + DAY, null, app.token("maria")));
        assertThat(days.path("rows")).hasSize(1);
        assertThat(days.path("rows").get(0).path("offered").asLong()).isEqualTo(6);
    }

    /**
     * alice: AVAILABLE 08:00-09:05:10, 09:08:10-12:00, 12:30-17:00 = 3910 + 10310 + 16200 = 30420 s; ON_CALL 120;
     * WRAP_UP 60; BREAK 1800; logged in 32400 s (9 h); OFFLINE 00:00-08:00 and 17:00-24:00 = 54000 s.
     * Her calls: four answered (the outbound one too), AHT (120+300+30+100)/4 = 137.5, wrap-up 60/4 = 15 s each.
     * bob: one call of 60 s, no state change that day.
     */
    @Test
    void agents_time_by_state_calls_and_dispositions() {
        JsonNode report = json(app.request("GET", "/api/reports/agents?" + DAY, null, app.token("maria")));
        JsonNode a = agent(report, "1001");
        assertThat(a.path("secondsByState").path("AVAILABLE").asDouble()).isCloseTo(30420, within(0.01));
        assertThat(a.path("secondsByState").path("ON_CALL").asDouble()).isCloseTo(120, within(0.01));
        assertThat(a.path("secondsByState").path("WRAP_UP").asDouble()).isCloseTo(60, within(0.01));
        assertThat(a.path("secondsByState").path("BREAK").asDouble()).isCloseTo(1800, within(0.01));
        assertThat(a.path("secondsByState").path("OFFLINE").asDouble()).isCloseTo(54000, within(0.01));
        assertThat(a.path("loggedInSeconds").asDouble()).isCloseTo(32400, within(0.01));
        assertThat(a.path("calls").asLong()).isEqualTo(4);
        assertThat(a.path("ahtSeconds").asDouble()).isCloseTo(137.5, within(0.001));
        assertThat(a.path("avgWrapUpSeconds").asDouble()).isCloseTo(15, within(0.001));
        assertThat(a.path("dispositions").path("ANSWERED").asLong()).isEqualTo(1);
        assertThat(a.path("dispositions").path("INTERESTED").asLong()).isEqualTo(1);
        assertThat(a.path("dispositions").path("NOT_INTERESTED").asLong()).isEqualTo(1);
        JsonNode b = agent(report, "1002");
        assertThat(b.path("calls").asLong()).isEqualTo(1);
        assertThat(b.path("ahtSeconds").asDouble()).isCloseTo(60, within(0.001));
        assertThat(b.path("loggedInSeconds").asDouble()).isZero();

        String csv = app.request("GET", "/api/reports/agents.csv?" + DAY, null, app.token("maria")).body();
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("extension,name,logged_in_seconds,available_seconds");
        assertThat(csv).contains("\r\n1001,");
    }

    /**
     * Attempts that day: a person connected, a person abandoned, a machine, no answer → dials 4, humans 2, machines
     * 1, abandons 1, rate 1/2, connects 1 per 9 agent-hours. Rolling 30 days (to now): one person yesterday, not
     * abandoned → 0 of 1.
     */
    @Test
    void campaigns_dials_people_abandons_and_the_rolling_rate() throws SQLException {
        String maria = app.token("maria");
        JsonNode created = json(app.request("POST", "/api/campaigns", """
                {"name":"Report campaign","safeHarborMessage":"Sorry we missed you, Psychology practice, 555 0100. Press 9 and we will not call you again."}""",
                maria));
        UUID campaign = UUID.fromString(created.path("campaign").path("id").asString());
        HttpResponse<String> imported = send("POST", "/api/campaigns/" + campaign + "/leads", "phone\n+1 212 555 0301\n", "text/csv", maria);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        UUID lead = UUID.fromString(json(app.request("GET", "/api/campaigns/" + campaign + "/leads", null, maria))
                .get(0).path("id").asString());
        // The console's lead filter.
        assertThat(json(app.request("GET", "/api/campaigns/" + campaign + "/leads?status=NEW", null, maria))).hasSize(1);
        assertThat(json(app.request("GET", "/api/campaigns/" + campaign + "/leads?status=DONE", null, maria))).isEmpty();
        assertThat(app.request("GET", "/api/campaigns/" + campaign + "/leads?status=LOST", null, maria).statusCode()).isEqualTo(400);
        try (Connection db = connect()) {
            attempt(db, campaign, lead, at("11:00:00"), true, false, true, null);
            attempt(db, campaign, lead, at("11:10:00"), true, true, false, "ABANDONED");
            attempt(db, campaign, lead, at("11:20:00"), false, false, false, "VOICEMAIL");
            attempt(db, campaign, lead, at("11:30:00"), false, false, false, "NO_ANSWER");
            attempt(db, campaign, lead, Timestamp.from(java.time.Instant.now().minusSeconds(86_400)), true, false, true, null);
        }
        JsonNode report = json(app.request("GET", "/api/reports/campaigns?" + DAY, null, maria));
        assertThat(report.path("agentHours").asDouble()).isCloseTo(9, within(0.001));
        JsonNode c = report.path("campaigns").valueStream().filter(x -> x.path("name").asString().equals("Report campaign"))
                .findFirst().orElseThrow();
        assertThat(c.path("dials").asLong()).isEqualTo(4);
        assertThat(c.path("humans").asLong()).isEqualTo(2);
        assertThat(c.path("machines").asLong()).isEqualTo(1);
        assertThat(c.path("abandons").asLong()).isEqualTo(1);
        assertThat(c.path("connects").asLong()).isEqualTo(1);
        assertThat(c.path("abandonRate").asDouble()).isEqualTo(0.5);
        assertThat(c.path("rolling30Humans").asLong()).isEqualTo(1);
        assertThat(c.path("rolling30Abandons").asLong()).isZero();
        assertThat(c.path("rolling30AbandonRate").asDouble()).isZero();
        assertThat(c.path("connectsPerAgentHour").asDouble()).isCloseTo(1.0 / 9, within(0.0001));
    }

    /** Every call of the local day (not the one before or after), its leg and the recording link; streamed CSV. */
    @Test
    void the_call_export_has_every_call_of_the_day_with_legs_and_recording() {
        HttpResponse<String> export = app.request("GET", "/api/reports/calls.csv?" + DAY, null, app.token("maria"));
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        var lines = export.body().lines().toList();
        assertThat(lines.getFirst()).startsWith("call_id,direction,origin,from,to,agent,started_at");
        assertThat(lines).hasSize(1 + 7);
        String first = lines.get(1);
        assertThat(first).startsWith(firstCall + ",inbound,").contains(",1001,").contains("2026-03-10T13:05:00Z")
                .contains("caller PJSIP/telnyx +12125550001 answered=2026-03-10T13:05:10Z ended=2026-03-10T13:07:10Z")
                .endsWith("/api/calls/" + firstCall + "/recording");
    }

    /** A manager asking for another team's report gets 404, as if it did not exist; bad input is a problem. */
    @Test
    void another_teams_report_is_not_found_and_bad_input_is_a_problem() {
        for (String path : new String[]{"/api/reports/intervals", "/api/reports/agents", "/api/reports/campaigns",
                "/api/reports/calls.csv", "/api/reports/intervals.csv"}) {
            HttpResponse<String> other = app.request("GET", path + "?teamId=" + sales + "&" + DAY, null, app.token("maria"));
            assertThat(other.statusCode()).as(path).isEqualTo(404);
            assertThat(other.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        assertThat(app.request("GET", "/api/reports/intervals?teamId=" + sales + "&" + DAY, null, app.token("admin"))
                .statusCode()).isEqualTo(200);
        HttpResponse<String> zone = app.request("GET", "/api/reports/intervals?zone=Mars/Olympus", null, app.token("maria"));
        assertThat(zone.statusCode()).isEqualTo(400);
        assertThat(zone.body()).contains("zone");
        assertThat(app.request("GET", "/api/reports/intervals?interval=week", null, app.token("maria")).statusCode()).isEqualTo(400);
        assertThat(app.request("GET", "/api/reports/agents?from=2026-03-10&to=2026-03-09", null, app.token("maria")).statusCode()).isEqualTo(400);
    }

    /**
     * Sales has a queue: its report comes from the queue's event log. Callers: answered after 8 s (talked 50 s),
     * gone after 2 s (short), abandoned after 40 s, overflowed after 90 s → offered 4, answered 1, abandoned 1,
     * short 1, service level 1/3, ASA 8, AHT 50, longest wait 90.
     */
    @Test
    void a_team_with_a_queue_is_reported_from_the_queue_log() throws SQLException {
        UUID queue = UUID.randomUUID();
        try (Connection db = connect()) {
            exec(db, "insert into call_queue (id, team_id, name) values (?, ?, 'Sales queue')", queue, sales);
            UUID answered = call(db, at("09:00:00"), "inbound", 8, 50, null, null, sales);
            queueEvents(db, queue, answered, "09:00:00", "answered", 8_000);
            queueEvents(db, queue, UUID.randomUUID(), "09:10:00", "abandoned", 2_000);
            queueEvents(db, queue, UUID.randomUUID(), "09:20:00", "abandoned", 40_000);
            queueEvents(db, queue, UUID.randomUUID(), "09:30:00", "overflowed", 90_000);
        }
        JsonNode report = json(app.request("GET", "/api/reports/intervals?interval=day&teamId=" + sales + "&" + DAY, null,
                app.token("admin")));
        assertThat(report.path("source").asString()).isEqualTo("queue");
        assertThat(report.path("queueId").asString()).isEqualTo(queue.toString());
        expectInterval(report.path("total"), "2026-03-10T00:00:00", 4, 1, 1, 1, 1.0 / 3, 1.0 / 3, 8, 50, 90);
    }

    // ------------------------------------------------------------------------------------------------ seeding

    private static void expectInterval(JsonNode row, String start, long offered, long answered, long abandoned,
                                       long shortAbandoned, double serviceLevel, double abandonRate, double asa,
                                       double aht, double longest) {
        assertThat(row.path("start").asString()).isEqualTo(start);
        assertThat(row.path("offered").asLong()).as("offered").isEqualTo(offered);
        assertThat(row.path("answered").asLong()).as("answered").isEqualTo(answered);
        assertThat(row.path("abandoned").asLong()).as("abandoned").isEqualTo(abandoned);
        assertThat(row.path("shortAbandoned").asLong()).as("short abandons").isEqualTo(shortAbandoned);
        assertThat(row.path("serviceLevel").asDouble()).as("service level").isCloseTo(serviceLevel, within(1e-9));
        assertThat(row.path("abandonRate").asDouble()).as("abandon rate").isCloseTo(abandonRate, within(1e-9));
        assertThat(row.path("asaSeconds").asDouble()).as("ASA").isCloseTo(asa, within(1e-9));
        assertThat(row.path("ahtSeconds").asDouble()).as("AHT").isCloseTo(aht, within(1e-9));
        assertThat(row.path("longestWaitSeconds").asDouble()).as("longest wait").isCloseTo(longest, within(1e-9));
    }

    private static JsonNode agent(JsonNode report, String extension) {
        return report.path("agents").valueStream().filter(a -> a.path("extension").asString().equals(extension))
                .findFirst().orElseThrow();
    }

    private static LocalDateTime day(String time) {
        return LocalDateTime.parse("2026-03-10T" + time);
    }

    private static Timestamp at(String time) {
        return at(day(time));
    }

    private static Timestamp at(LocalDateTime local) {
        return Timestamp.from(local.atZone(NEW_YORK).toInstant());
    }

    private static UUID call(Connection db, String direction, String begun, int waitSeconds, Integer talkSeconds,
                             UUID agent, String disposition) throws SQLException {
        return call(db, day(begun), direction, waitSeconds, talkSeconds, agent, disposition);
    }

    private static UUID call(Connection db, LocalDateTime begun, String direction, int waitSeconds, Integer talkSeconds,
                             UUID agent, String disposition) throws SQLException {
        return call(db, at(begun), direction, waitSeconds, talkSeconds, agent, disposition, psychology);
    }

    private static UUID call(Connection db, Timestamp created, String direction, int waitSeconds, Integer talkSeconds,
                             UUID agent, String disposition, UUID team) throws SQLException {
        UUID id = UUID.randomUUID();
        long start = created.getTime();
        Timestamp answered = talkSeconds == null ? null : new Timestamp(start + waitSeconds * 1000L);
        Timestamp ended = new Timestamp(start + (waitSeconds + (talkSeconds == null ? 0 : talkSeconds)) * 1000L);
        exec(db, """
                insert into call (id, direction, state, from_number, to_number, agent_id, team_id, created_at, answered_at,
                                  ended_at, hangup_cause, disposition, origin)
                values (?, ?, 'ENDED', '+12125550001', '+15550100', ?, ?, ?, ?, ?, 'normal_clearing', ?, ?)""",
                id, direction, agent, team, created, answered, ended, disposition,
                direction.equals("inbound") ? "inbound" : "agent_dial");
        return id;
    }

    private static void state(Connection db, UUID agent, String state, LocalDateTime local) throws SQLException {
        exec(db, "insert into agent_state_event (agent_id, state, occurred_at) values (?, ?, ?)", agent, state, at(local));
    }

    private static void attempt(Connection db, UUID campaign, UUID lead, Timestamp created, boolean human,
                                boolean abandoned, boolean connected, String outcome) throws SQLException {
        Timestamp later = new Timestamp(created.getTime() + 5_000);
        exec(db, """
                insert into dial_attempt (id, campaign_id, lead_id, e164, state, outcome, created_at, answered_at, human_at,
                                          connected_at, ended_at, tsr_live, tsr_abandoned)
                values (?, ?, ?, '+12125550301', 'ENDED', ?, ?, ?, ?, ?, ?, ?, ?)""",
                UUID.randomUUID(), campaign, lead, outcome, created, outcome == null || human || "VOICEMAIL".equals(outcome) ? later : null,
                human ? later : null, connected ? later : null, later, human, abandoned);
    }

    private static void queueEvents(Connection db, UUID queue, UUID call, String joined, String last, long waitMs)
            throws SQLException {
        Timestamp at = at(joined);
        exec(db, "insert into queue_event (queue_id, call_id, occurred_at, event, wait_ms) values (?, ?, ?, 'joined', 0)",
                queue, call, at);
        exec(db, "insert into queue_event (queue_id, call_id, occurred_at, event, wait_ms) values (?, ?, ?, ?, ?)",
                queue, call, new Timestamp(at.getTime() + waitMs), last, waitMs);
    }

    private static void exec(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
    }

    private static HttpResponse<String> send(String method, String path, String body, String contentType, String token) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType)
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }
}
