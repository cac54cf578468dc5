package io.callcenter.it;

import io.callcenter.it.PermissionMatrix.Cell;
import io.callcenter.it.PermissionMatrix.Who;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.callcenter.it.PermissionFixture.created;
import static io.callcenter.it.PermissionFixture.json;
import static io.callcenter.it.PermissionFixture.numbered;
import static io.callcenter.it.PermissionFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what, for every /api endpoint: a matrix of endpoint x caller with the expected status, run against the
 * real application. The matrix is checked against the endpoints Spring actually maps, so an endpoint added later
 * fails this test until someone has decided who may call it.
 *
 * <p>Callers: nobody (no token); alice, agent in Psychology; maria, manager of Psychology; carol, agent in Sales;
 * sam, manager of Sales (created here through the admin API); admin. Cross-team rows target Psychology's things, so
 * carol and sam show that one team never reaches into another.
 *
 * <p>The matrix's rows are in {@link PermissionMatrix} (by feature, one file each); what they point at is made by
 * {@link PermissionFixture}.
 */
class PermissionsIT {

    private static final String SCRAPE_TOKEN = "permissions-it-scrape-token";
    private static final String PROBLEM_JSON = "application/problem+json";

    private static TestApp app;
    private static PermissionFixture fixture;

    @BeforeAll
    static void startSystem() throws SQLException {
        String databaseUrl = TestDatabase.get().newDatabase();
        app = TestApp.start(databaseUrl, TestAsterisk.get(), Map.of("callcenter.metrics.scrape-token", SCRAPE_TOKEN));
        fixture = PermissionFixture.create(app, databaseUrl);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ the matrix

    /** Metrics show every team's calls and agents: administrators and the configured scraper only. */
    @Test
    void metrics_are_for_administrators_and_the_scrape_token_only() {
        Map<Who, Integer> expected = Map.of(Who.ANONYMOUS, 401, Who.AGENT, 403, Who.MANAGER, 403,
                Who.OTHER_TEAM_AGENT, 403, Who.OTHER_TEAM_MANAGER, 403, Who.ADMIN, 200);
        for (Who who : Who.values()) {
            HttpResponse<String> response = app.request("GET", "/actuator/prometheus", null, token(who));
            assertThat(response.statusCode()).as(who + ": " + response.body()).isEqualTo(expected.get(who));
            if (response.statusCode() != 200) {
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith(PROBLEM_JSON));
            }
        }
        assertThat(app.request("GET", "/actuator/prometheus", null, SCRAPE_TOKEN).statusCode()).isEqualTo(200);
        assertThat(app.request("GET", "/actuator/prometheus", null, SCRAPE_TOKEN + "x").statusCode()).isEqualTo(401);
    }

    @Test
    void every_api_endpoint_the_application_maps_is_in_the_matrix() {
        Set<String> mapped = new TreeSet<>();
        // Spring MVC's own mapping plus the actuator's controller endpoints: every @RequestMapping in the context.
        List<RequestMappingInfo> infos = app.beans(RequestMappingHandlerMapping.class).values().stream()
                .flatMap(mapping -> mapping.getHandlerMethods().keySet().stream()).toList();
        for (RequestMappingInfo info : infos) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                if (methods.isEmpty()) {
                    mapped.add("* " + pattern);
                }
                methods.forEach(method -> mapped.add(method.name() + " " + pattern));
            }
        }
        Set<String> inMatrix = new TreeSet<>();
        PermissionMatrix.of(fixture).cells.forEach(cell -> inMatrix.add(cell.endpoint()));

        Set<String> missing = new TreeSet<>(mapped);
        missing.removeAll(inMatrix);
        Set<String> stale = new TreeSet<>(inMatrix);
        stale.removeAll(mapped);
        assertThat(missing).as("endpoints without a row in the permission matrix: decide who may call them").isEmpty();
        assertThat(stale).as("matrix rows for endpoints that no longer exist").isEmpty();
        assertThat(mapped).hasSizeGreaterThanOrEqualTo(25);
    }

    @Test
    void every_caller_gets_exactly_the_expected_answer_from_every_endpoint_and_refusals_are_problems() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Cell cell : PermissionMatrix.of(fixture).cells) {
            for (Who who : Who.values()) {
                String path = numbered(cell.path(), who);
                String token = "/api/auth/logout".equals(path) && who.username != null
                        ? login(who.username, TestApp.USER_PASSWORD) : token(who);
                HttpResponse<String> response = send(cell.method(), path,
                        cell.body() == null ? null : numbered(cell.body(), who), cell.contentType(), token);
                checked++;
                String where = cell.method() + " " + path + " as " + who + " (" + who.username + ")";
                int expected = cell.expected().get(who);
                if (response.statusCode() != expected) {
                    failures.add(where + ": expected " + expected + ", got " + response.statusCode() + " " + response.body());
                    continue;
                }
                if (response.statusCode() >= 400) {
                    String type = response.headers().firstValue("Content-Type").orElse("");
                    if (!type.startsWith(PROBLEM_JSON)) {
                        failures.add(where + ": refusal is '" + type + "', not " + PROBLEM_JSON);
                    }
                }
                String detail = cell.detail().get(who);
                if (detail != null && !response.body().contains(detail)) {
                    failures.add(where + ": expected detail containing '" + detail + "', got " + response.body());
                }
            }
        }
        System.out.println("PermissionsIT: " + checked + " matrix cells checked");
        assertThat(failures).as(checked + " cells checked").isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ team scoping

    /** The console's socket: its own team's board for a manager; another team's is closed like one that is not there. */
    @Test
    void the_console_socket_pushes_a_managers_own_team_and_refuses_another_teams() throws Exception {
        assertThat(firstConsoleFrame(Who.MANAGER, fixture.psychology)).startsWith("frame:").contains("\"teamName\":\"Psychology\"");
        assertThat(firstConsoleFrame(Who.ADMIN, fixture.sales)).startsWith("frame:").contains("\"teamName\":\"Sales\"");
        assertThat(firstConsoleFrame(Who.OTHER_TEAM_MANAGER, fixture.psychology)).isEqualTo("closed:1008");
        assertThat(firstConsoleFrame(Who.AGENT, fixture.psychology)).isEqualTo("closed:1008");
    }

    /** "frame:<json>" for the first text frame, or "closed:<status>" if the server closed the socket first. */
    private static String firstConsoleFrame(Who who, String teamId) throws Exception {
        java.util.concurrent.CompletableFuture<String> first = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create(app.webSocketUrl("/api/console/events?teamId=" + teamId, token(who))),
                new java.net.http.WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            first.complete("frame:" + text);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int status, String reason) {
                        first.complete("closed:" + status);
                        return null;
                    }
                }).join();
        try {
            return first.get(15, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }

    @Test
    void managers_see_only_their_own_teams_agents_and_calls() {
        assertThat(extensions(app.request("GET", "/api/team/agents", null, token(Who.MANAGER))))
                .contains("1001", "1002", "1003").doesNotContain("3001");
        assertThat(extensions(app.request("GET", "/api/team/agents", null, token(Who.OTHER_TEAM_MANAGER))))
                .contains("3001").doesNotContain("1001", "1002", "1003");
        assertThat(extensions(app.request("GET", "/api/team/agents", null, token(Who.ADMIN))))
                .contains("1001", "1002", "1003", "3001");
        assertThat(aliceInTeamView().path("username").asString()).isEqualTo("alice");
        assertThat(aliceInTeamView().path("phone").asString()).isEqualTo("sip");
        // The manager sees the state the server keeps for her: the break she chooses once her phone is registered.
        try (TestPhones phones = new TestPhones()) {
            phones.agent("1001", "127.0.0.3");
            app.awaitAgentState("alice", "AVAILABLE", Duration.ofSeconds(10));
            ok(app.request("PUT", "/api/me/state", "{\"state\":\"BREAK\"}", token(Who.AGENT)));
            // The presence takes the choice in its own order: once she sees her break, her manager must too.
            app.awaitAgentState("alice", "BREAK", Duration.ofSeconds(10));
            assertThat(aliceInTeamView().path("state").asString()).isEqualTo("BREAK");
        } finally {
            // Back as she was for the other tests: no phone, and AVAILABLE her choice once one registers.
            ok(app.request("PUT", "/api/me/state", "{\"state\":\"AVAILABLE\"}", token(Who.AGENT)));
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE, "1001");
        }
        app.awaitAgentState("alice", "OFFLINE", Duration.ofSeconds(10));

        assertThat(callIds(Who.MANAGER)).contains(fixture.psychologyCall).doesNotContain(fixture.salesCall);
        assertThat(callIds(Who.OTHER_TEAM_MANAGER)).contains(fixture.salesCall).doesNotContain(fixture.psychologyCall);
        assertThat(callIds(Who.OTHER_TEAM_AGENT)).contains(fixture.salesCall).doesNotContain(fixture.psychologyCall);
        assertThat(callIds(Who.ADMIN)).contains(fixture.salesCall, fixture.psychologyCall);
    }

    private static JsonNode aliceInTeamView() {
        return StreamSupport.stream(json(ok(app.request("GET", "/api/team/agents", null, token(Who.MANAGER)))).spliterator(), false)
                .filter(row -> row.path("extension").asString().equals("1001")).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------------------------------------ admin flows

    @Test
    void an_admin_sets_up_a_team_with_a_number_and_an_agent_who_then_logs_in_and_registers_a_phone() {
        String admin = token(Who.ADMIN);
        JsonNode team = json(created(app.request("POST", "/api/admin/teams", """
                {"name":"Night Shift","callerIdNumber":"(212) 555-0300","maxCallSeconds":3600,
                 "allowedPrefixes":["+1","+44"],"wrapUpSeconds":30}""", admin)));
        String teamId = team.path("id").asString();
        assertThat(team.path("callerIdNumber").asString()).isEqualTo("+12125550300");
        assertThat(team.path("numbers").toString()).contains("+12125550300");

        JsonNode withDid = json(created(app.request("POST", "/api/admin/teams/" + teamId + "/numbers",
                "{\"number\":\"212-555-0301\"}", admin)));
        assertThat(withDid.path("numbers").toString()).contains("+12125550301");
        assertThat(app.request("POST", "/api/admin/teams/" + teamId + "/numbers", "{\"number\":\"+12125550301\"}", admin)
                .statusCode()).as("adding it again changes nothing").isEqualTo(200);
        assertProblem(app.request("POST", "/api/admin/teams/" + teamId + "/numbers", "{\"number\":\"+15550200\"}", admin),
                409, "number-taken");
        assertProblem(app.request("POST", "/api/admin/teams/" + teamId + "/numbers", "{\"number\":\"12\"}", admin),
                400, "invalid-number");
        assertProblem(app.request("DELETE", "/api/admin/teams/" + teamId + "/numbers/+12125550300", null, admin),
                409, "caller-id-in-use");
        assertProblem(app.request("DELETE", "/api/admin/teams/" + teamId + "/numbers/+12125550399", null, admin),
                404, "not-found");
        assertProblem(app.request("PUT", "/api/admin/teams/" + teamId, """
                {"callerIdNumber":"+15550100","maxCallSeconds":3600,"allowedPrefixes":["+1"],"wrapUpSeconds":30}""", admin),
                409, "number-taken");
        JsonNode updated = json(ok(app.request("PUT", "/api/admin/teams/" + teamId, """
                {"callerIdNumber":"+12125550301","maxCallSeconds":7200,"allowedPrefixes":["+1"],"wrapUpSeconds":0}""", admin)));
        assertThat(updated.path("maxCallSeconds").asInt()).isEqualTo(7200);
        assertThat(updated.path("callerIdNumber").asString()).isEqualTo("+12125550301");

        JsonNode nina = json(created(app.request("POST", "/api/admin/users", """
                {"username":"nina","displayName":"Nina Night","role":"agent","teamId":"%s","password":"nina-password-0001",
                 "agent":{"extension":"4001","phone":"sip"}}""".formatted(teamId), admin)));
        assertThat(nina.path("permissions").toString()).contains("calls:2");
        assertThat(nina.path("agent").path("extension").asString()).isEqualTo("4001");
        String sipPassword = nina.path("agent").path("sipPassword").asString();
        assertThat(sipPassword).hasSize(24);
        assertThat(json(ok(app.request("GET", "/api/admin/users/" + nina.path("id").asString(), null, admin)))
                .path("agent").has("sipPassword")).as("the SIP password is shown once").isFalse();

        String ninaToken = login("nina", "nina-password-0001");
        JsonNode me = json(ok(app.request("GET", "/api/me", null, ninaToken)));
        assertThat(me.path("username").asString()).isEqualTo("nina");
        assertThat(me.path("role").asString()).isEqualTo("agent");
        assertThat(me.path("teamId").asString()).isEqualTo(teamId);
        assertThat(me.path("agentId").asString()).isEqualTo(nina.path("agent").path("id").asString());
        assertThat(extensions(app.request("GET", "/api/team/agents?teamId=" + teamId, null, admin))).containsExactly("4001");

        // The endpoint reached Asterisk after the commit, with the password handed out: a desk phone registers.
        try (SipPhone phone = SipPhone.start(SipPhone.Config.builder().name("4001").bindAddress("127.0.0.5").bindPort(0)
                .server("127.0.0.1", 5060).username("4001").password(sipPassword).build())) {
            phone.register();
            assertThat(phone.isRegistered()).isTrue();
        }
    }

    @Test
    void user_requests_are_validated_and_a_refused_one_writes_nothing() {
        String admin = token(Who.ADMIN);
        String user = """
                {"username":"%s","displayName":"Val Idation","role":"%s","teamId":"%s","password":"%s","permissions":%s,
                 "agent":{"extension":"%s","phone":"%s"}}""";
        String pw = "valid-password-01";
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("Bad Name!", "agent", fixture.psychology, pw, "null", "5001", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "boss", fixture.psychology, pw, "null", "5001", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", fixture.psychology, pw, "[\"calls\"]", "5001", "sip"), admin), 400, "invalid-permission");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", UUID.randomUUID(), pw, "null", "5001", "sip"), admin), 400, "unknown-team");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", fixture.psychology, "short", "null", "5001", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", fixture.psychology, pw, "null", "12", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", fixture.psychology, pw, "null", "5001", "fax"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", fixture.psychology, pw, "null", "1001", "sip"), admin), 409, "extension-taken");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("alice", "agent", fixture.psychology, pw, "null", "5001", "sip"), admin), 409, "username-taken");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "admin", "null", pw, "null", "5001", "sip")
                .replace("\"null\"", "null"), admin), 400, "invalid-request");
        HttpResponse<String> malformed = app.request("POST", "/api/admin/users", "{\"username\":", admin);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
        assertThat(extensions(app.request("GET", "/api/team/agents", null, admin))).doesNotContain("5001");
        assertThat(json(ok(app.request("GET", "/api/admin/users", null, admin))).toString()).doesNotContain("\"val\"");

        JsonNode val = json(created(app.request("POST", "/api/admin/users",
                user.formatted("val", "agent", fixture.psychology, pw, "null", "5001", "webrtc"), admin)));
        String id = val.path("id").asString();
        assertThat(val.path("agent").path("phone").asString()).isEqualTo("webrtc");

        JsonNode promoted = json(ok(app.request("PATCH", "/api/admin/users/" + id,
                "{\"role\":\"manager\",\"teamId\":\"" + fixture.sales + "\"}", admin)));
        assertThat(promoted.path("permissions").toString()).as("a new role brings its defaults").contains("team:1");
        assertThat(extensions(app.request("GET", "/api/team/agents?teamId=" + fixture.sales, null, admin)))
                .as("their agent moved with them").contains("5001");
        assertProblem(app.request("PATCH", "/api/admin/users/" + id, "{\"permissions\":[\"team\"]}", admin), 400, "invalid-permission");
        assertProblem(app.request("PATCH", "/api/admin/users/" + id, "{\"teamId\":\"" + UUID.randomUUID() + "\"}", admin), 400, "unknown-team");
        assertProblem(app.request("PATCH", "/api/admin/users/" + UUID.randomUUID(), "{\"enabled\":false}", admin), 404, "not-found");

        ok(app.request("PATCH", "/api/admin/users/" + id, "{\"enabled\":false}", admin));
        assertThat(loginStatus("val", pw)).as("disabled").isEqualTo(401);
        ok(app.request("PATCH", "/api/admin/users/" + id, "{\"enabled\":true,\"password\":\"another-password-02\"}", admin));
        assertThat(loginStatus("val", pw)).isEqualTo(401);
        assertThat(loginStatus("val", "another-password-02")).isEqualTo(200);

        String adminId = json(ok(app.request("GET", "/api/me", null, admin))).path("id").asString();
        assertProblem(app.request("PATCH", "/api/admin/users/" + adminId, "{\"enabled\":false}", admin), 409, "self-lockout");
        assertProblem(app.request("PATCH", "/api/admin/users/" + adminId, "{\"role\":\"manager\",\"teamId\":\"" + fixture.psychology + "\"}", admin),
                409, "self-lockout");
    }

    @Test
    void team_settings_are_validated() {
        String admin = token(Who.ADMIN);
        assertProblem(app.request("POST", "/api/admin/teams", "{\"name\":\"Psychology\",\"callerIdNumber\":\"+12125550400\"}", admin), 409, "team-exists");
        assertProblem(app.request("POST", "/api/admin/teams", "{\"name\":\"T1\",\"callerIdNumber\":\"+15550100\"}", admin), 409, "number-taken");
        assertProblem(app.request("POST", "/api/admin/teams", "{\"name\":\"T1\",\"callerIdNumber\":\"abc\"}", admin), 400, "invalid-number");
        assertProblem(app.request("POST", "/api/admin/teams", "{\"name\":\"T1\",\"callerIdNumber\":\"+12125550400\",\"maxCallSeconds\":59}", admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/teams", "{\"name\":\"T1\",\"callerIdNumber\":\"+12125550400\",\"maxCallSeconds\":86401}", admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/teams", "{\"name\":\"T1\",\"callerIdNumber\":\"+12125550400\",\"wrapUpSeconds\":3601}", admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/teams", "{\"name\":\"T1\",\"callerIdNumber\":\"+12125550400\",\"allowedPrefixes\":[\"1\"]}", admin), 400, "invalid-request");
        assertProblem(app.request("PUT", "/api/admin/teams/" + fixture.psychology, "{\"callerIdNumber\":\"+15550100\"}", admin), 400, "invalid-request");
        assertProblem(app.request("PUT", "/api/admin/teams/" + UUID.randomUUID(), """
                {"callerIdNumber":"+15550100","maxCallSeconds":21600,"allowedPrefixes":["+1"],"wrapUpSeconds":0}""", admin), 404, "not-found");
        assertThat(json(ok(app.request("GET", "/api/admin/teams", null, admin))).toString()).doesNotContain("\"T1\"");
    }

    @Test
    void the_do_not_call_list_normalises_numbers_and_imports_registries_line_by_line() {
        String maria = token(Who.MANAGER);
        JsonNode entry = json(created(app.request("POST", "/api/dnc", "{\"number\":\"(212) 555-0201\",\"reason\":\"asked twice\"}", maria)));
        assertThat(entry.path("e164").asString()).isEqualTo("+12125550201");
        assertThat(entry.path("reason").asString()).isEqualTo("asked twice");
        assertThat(app.request("POST", "/api/dnc", "{\"number\":\"+12125550201\"}", maria).statusCode()).isEqualTo(200);
        assertProblem(app.request("POST", "/api/dnc", "{\"number\":\"call me maybe\"}", maria), 400, "invalid-number");

        JsonNode result = json(ok(send("POST", "/api/dnc/import?source=registry",
                "number,state\n212-555-0202,NY\n+12125550201,NY\nnonsense,NY\n212 555 0202,NY\n,NY\n", "text/csv", maria)));
        assertThat(result.path("added").asInt()).isEqualTo(1);
        assertThat(result.path("duplicates").asInt()).isEqualTo(2);
        assertThat(result.path("rejected").asInt()).isEqualTo(2);
        assertThat(result.path("rejectedLines").get(0).path("line").asInt()).isEqualTo(4);
        assertThat(result.path("rejectedLines").get(1).path("line").asInt()).isEqualTo(6);
        assertProblem(send("POST", "/api/dnc/import", "phone\n2125550203\n", "text/csv", maria), 400, "no-number-column");
        assertThat(send("POST", "/api/dnc/import", "2125550203\n", "application/json", maria).statusCode())
                .as("only CSV or plain text").isEqualTo(415);

        JsonNode page = json(ok(app.request("GET", "/api/dnc?limit=1&after=%2B12125550200", null, maria)));
        assertThat(page.path("items").get(0).path("e164").asString()).isEqualTo("+12125550201");
        assertThat(page.path("nextAfter").asString()).isEqualTo("+12125550201");
        JsonNode next = json(ok(app.request("GET", "/api/dnc?limit=1&after=%2B12125550201", null, maria)));
        assertThat(next.path("items").get(0).path("e164").asString()).isEqualTo("+12125550202");
        assertThat(next.path("items").get(0).path("source").asString()).isEqualTo("registry");
        // The console's search: by digits, whatever is typed around them.
        JsonNode found = json(ok(app.request("GET", "/api/dnc?q=(212)%20555-0202", null, maria)));
        assertThat(found.path("items").valueStream().map(e -> e.path("e164").asString()).toList()).containsExactly("+12125550202");
        assertProblem(app.request("GET", "/api/dnc?q=abc", null, maria), 400, "invalid-request");

        assertThat(app.request("DELETE", "/api/dnc/2125550202", null, maria).statusCode()).as("normalised path").isEqualTo(204);
        assertProblem(app.request("DELETE", "/api/dnc/2125550202", null, maria), 404, "not-found");
        assertProblem(app.request("GET", "/api/dnc?limit=0", null, maria), 400, "invalid-request");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String token(Who who) {
        return fixture.token(who);
    }

    private static HttpResponse<String> send(String method, String path, String body, String contentType, String token) {
        return fixture.send(method, path, body, contentType, token);
    }

    private static String login(String username, String password) {
        return fixture.login(username, password);
    }

    private static int loginStatus(String username, String password) {
        return app.request("POST", "/api/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", null).statusCode();
    }

    private static List<String> extensions(HttpResponse<String> response) {
        List<String> extensions = new ArrayList<>();
        json(ok(response)).forEach(row -> extensions.add(row.path("extension").asString()));
        return extensions;
    }

    private static List<String> callIds(Who who) {
        List<String> ids = new ArrayList<>();
        json(ok(app.request("GET", "/api/calls?limit=200", null, token(who)))).path("items")
                .forEach(call -> ids.add(call.path("id").asString()));
        return ids;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
        assertThat(json(response).path("type").asString()).as(response.body()).isEqualTo("/problems/" + slug);
    }

}
