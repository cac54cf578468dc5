package io.callcenter.it;

import io.callcenter.destination.Destination;
import io.callcenter.destination.DestinationService;
import io.callcenter.destination.InboundRoutes;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schedules and number destinations through the REST API on the real application and database: bad configurations
 * are refused as problem details, a saved schedule routes the DID by the wall clock of its own zone at fixed instants
 * (08:59 open, 09:00 closed in Tokyo; a holiday; a daylight-saving change in Berlin), and a real call to the DID
 * follows the route.
 */
class InboundRoutingIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CLOSED_SOUND = "sound:ss-noservice";
    private static final String OPEN_SOUND = "sound:vm-nobodyavail";
    private static final String HOLIDAY_SOUND = "sound:conf-now-recording";

    private static TestApp app;
    private static String team;
    private static CallRecords records;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        records = new CallRecords(app);
        for (JsonNode row : json(app.request("GET", "/api/admin/teams", null, app.token("admin")))) {
            if ("Psychology".equals(row.path("name").asString())) {
                team = row.path("id").asString();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static String schedule(String name, String zone, String periods, String exceptions, String open, String closed) {
        return """
                {"teamId":"%s","name":"%s","zone":"%s","periods":[%s],"exceptions":[%s],"open":%s,"closed":%s}"""
                .formatted(team, name, zone, periods, exceptions, open, closed);
    }

    private static String sound(String media) {
        return "{\"kind\":\"announcement\",\"target\":\"" + media + "\"}";
    }

    private static HttpResponse<String> post(String body) {
        return app.request("POST", "/api/schedules", body, app.token("maria"));
    }

    @Test
    void bad_configurations_are_refused_as_problem_details() {
        assertProblem(post(schedule("No closed", "Europe/Berlin", "", "", sound(OPEN_SOUND), "null")),
                400, "closed-destination-required");
        assertProblem(post(schedule("Bad zone", "Mars/Olympus", "", "", sound(OPEN_SOUND), sound(CLOSED_SOUND))),
                400, "invalid-request");
        assertProblem(post(schedule("Unknown queue", "Europe/Berlin", "", "",
                "{\"kind\":\"queue\",\"target\":\"" + UUID.randomUUID() + "\"}", sound(CLOSED_SOUND))), 400, "unknown-destination");

        String a = json(created(post(schedule("A", "UTC", "", "", sound(OPEN_SOUND), sound(CLOSED_SOUND))))).path("id").asString();
        String b = json(created(post(schedule("B", "UTC", "", "", sound(OPEN_SOUND),
                "{\"kind\":\"schedule\",\"target\":\"" + a + "\"}")))).path("id").asString();
        // A closing into B, which closes into A: a circle.
        assertProblem(app.request("PUT", "/api/schedules/" + a, schedule("A", "UTC", "", "", sound(OPEN_SOUND),
                "{\"kind\":\"schedule\",\"target\":\"" + b + "\"}"), app.token("maria")), 409, "destination-cycle");
        // B still uses A: A cannot go.
        assertProblem(app.request("DELETE", "/api/schedules/" + a, null, app.token("maria")), 409, "destination-in-use");
        // An agent may not configure routing at all.
        assertProblem(app.request("GET", "/api/schedules/" + a, null, app.token("carol")), 403, "forbidden");
    }

    @Test
    void the_did_follows_its_schedule_by_the_wall_clock_of_the_schedules_zone() {
        String night = json(created(post(schedule("Tokyo night", "Asia/Tokyo",
                "{\"day\":\"FRIDAY\",\"opens\":\"00:00\",\"closes\":\"09:00\"}",
                "{\"name\":\"New year\",\"starts\":\"2027-01-01T00:00\",\"ends\":\"2027-01-02T00:00\",\"destination\":"
                        + sound(HOLIDAY_SOUND) + "}",
                sound(OPEN_SOUND), sound(CLOSED_SOUND))))).path("id").asString();
        String berlin = json(created(post(schedule("Berlin office", "Europe/Berlin",
                "{\"day\":\"MONDAY\",\"opens\":\"09:00\",\"closes\":\"17:00\"}", "", sound(OPEN_SOUND), sound(CLOSED_SOUND)))))
                .path("id").asString();
        DestinationService routes = app.bean(DestinationService.class);
        String number = TestApp.DEMO_DID;
        try {
            point(number, night);
            // Friday 2026-11-27 08:59 and 09:00 in Tokyo are 23:59 and 00:00 UTC the evening before.
            assertThat(soundAt(routes, number, "2026-11-26T23:59:00Z")).isEqualTo(OPEN_SOUND);
            assertThat(soundAt(routes, number, "2026-11-27T00:00:00Z")).isEqualTo(CLOSED_SOUND);
            // 2027-01-01 is a Friday: 08:00 in Tokyo would be open, the holiday wins.
            assertThat(soundAt(routes, number, "2026-12-31T23:00:00Z")).isEqualTo(HOLIDAY_SOUND);
            assertThat(routes.route(number, Instant.parse("2026-12-31T23:00:00Z")).orElseThrow().path())
                    .containsExactly("schedule Tokyo night: exceptional period New year");

            point(number, berlin);
            // Clocks go forward in Berlin on 2026-03-29: Monday 09:00 is 08:00Z the week before, 07:00Z after.
            assertThat(soundAt(routes, number, "2026-03-23T07:59:00Z")).isEqualTo(CLOSED_SOUND);
            assertThat(soundAt(routes, number, "2026-03-23T08:00:00Z")).isEqualTo(OPEN_SOUND);
            assertThat(soundAt(routes, number, "2026-03-30T06:59:00Z")).isEqualTo(CLOSED_SOUND);
            assertThat(soundAt(routes, number, "2026-03-30T07:00:00Z")).isEqualTo(OPEN_SOUND);

            // A real call follows the route as it is now: a schedule with no open period is closed whenever it is.
            String alwaysClosed = json(created(post(schedule("Closed", "UTC", "", "", sound(OPEN_SOUND), sound(CLOSED_SOUND)))))
                    .path("id").asString();
            point(number, alwaysClosed);
            try (TestPhones phones = new TestPhones()) {
                SipPhone carrier = phones.carrier();
                SipCall call = carrier.call(number);
                call.awaitAnswered(Duration.ofSeconds(10));
                call.awaitEnded(Duration.ofSeconds(20));
            }
            JsonNode record = records.awaitLatest(CallRecords::ended, Duration.ofSeconds(10), "ENDED");
            assertThat(record.path("hangupCause").asString()).isEqualTo("announcement");
        } finally {
            app.request("DELETE", "/api/numbers/" + number + "/destination", null, app.token("maria"));
        }
    }

    /**
     * Routing from memory (issue 14): an edit made behind this instance's back, straight in the database as another
     * app instance's would be (this process hears of nothing), routes the very next call, because the edit moved the
     * routing generation the call reads first. The first call fills the memory the second must not trust.
     */
    @Test
    void an_edit_made_by_another_instance_routes_the_next_call() throws Exception {
        String number = TestApp.DEMO_DID;
        try {
            HttpResponse<String> pointed = app.request("PUT", "/api/numbers/" + number + "/destination",
                    sound(OPEN_SOUND), app.token("maria"));
            assertThat(pointed.statusCode()).as(pointed.body()).isEqualTo(200);
            callAndHangUp(number);
            records.awaitLatestEvent("destination", "announcement " + OPEN_SOUND, Duration.ofSeconds(10));

            try (java.sql.Connection db = app.bean(javax.sql.DataSource.class).getConnection();
                 java.sql.PreparedStatement edit = db.prepareStatement(
                         "update team_number set destination_target = ? where e164 = ?")) {
                edit.setString(1, CLOSED_SOUND);
                edit.setString(2, number);
                assertThat(edit.executeUpdate()).isEqualTo(1);
            }
            callAndHangUp(number);
            records.awaitLatestEvent("destination", "announcement " + CLOSED_SOUND, Duration.ofSeconds(10));
        } finally {
            app.request("DELETE", "/api/numbers/" + number + "/destination", null, app.token("maria"));
        }
    }

    private static void callAndHangUp(String number) {
        try (TestPhones phones = new TestPhones()) {
            SipCall call = phones.carrier().call(number);
            call.awaitAnswered(Duration.ofSeconds(10));
            call.awaitEnded(Duration.ofSeconds(20));
        }
    }

    private static void point(String number, String scheduleId) {
        HttpResponse<String> response = app.request("PUT", "/api/numbers/" + number + "/destination",
                "{\"kind\":\"schedule\",\"target\":\"" + scheduleId + "\"}", app.token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String soundAt(DestinationService routes, String number, String instant) {
        InboundRoutes.Route route = routes.route(number, Instant.parse(instant)).orElseThrow();
        return ((Destination.Announcement) route.destination()).media();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(response).path("type").asString()).as(response.body()).isEqualTo("/problems/" + slug);
    }

    private static HttpResponse<String> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
