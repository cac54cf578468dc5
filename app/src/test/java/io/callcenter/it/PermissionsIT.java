package io.callcenter.it;

import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what, for every /api endpoint: a matrix of endpoint x caller with the expected status, run against the
 * real application. The matrix is checked against the endpoints Spring actually maps, so an endpoint added later
 * fails this test until someone has decided who may call it.
 *
 * <p>Callers: nobody (no token); alice, agent in Psychology; maria, manager of Psychology; carol, agent in Sales;
 * sam, manager of Sales (created here through the admin API); admin. Cross-team rows target Psychology's things, so
 * carol and sam show that one team never reaches into another.
 */
class PermissionsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCRAPE_TOKEN = "permissions-it-scrape-token";
    private static final String PROBLEM_JSON = "application/problem+json";

    /** Column order of the matrix. */
    enum Who {
        ANONYMOUS(null), AGENT("alice"), MANAGER("maria"), OTHER_TEAM_AGENT("carol"), OTHER_TEAM_MANAGER("sam"),
        ADMIN("admin");

        final String username;

        Who(String username) {
            this.username = username;
        }
    }

    private static TestApp app;
    private static String databaseUrl;
    private static String psychology;
    private static String sales;
    private static String aliceUser;
    private static String bobUser;
    private static String aliceAgent;
    private static String psychologyCall;
    private static String salesCall;
    private static String psychologyCampaign;
    private static String psychologyLead;
    private static String psychologyQueue;
    private static String psychologySchedule;
    private static String psychologyMenu;
    private static String psychologyBox;
    private static String psychologyVoicemail;
    /** A Psychology number the destination rows point elsewhere (not the demo DID other tests call). */
    private static final String ROUTED_NUMBER = "+12125550990";
    private static final String SCHEDULE_BODY = """
            {"teamId":"%s","name":"%s","zone":"Europe/Berlin",
             "periods":[{"day":"MONDAY","opens":"09:00","closes":"17:00"}],
             "open":{"kind":"announcement","target":"sound:vm-nobodyavail"},
             "closed":{"kind":"announcement","target":"sound:ss-noservice"}}""";
    private static final String SAFE_HARBOR = "\"safeHarborMessage\":\"Sorry we missed you, Psychology practice, 555 0100. Press 9 and we will not call you again.\"";

    @BeforeAll
    static void startSystem() throws SQLException {
        databaseUrl = TestDatabase.get().newDatabase();
        app = TestApp.start(databaseUrl, TestAsterisk.get(), Map.of("callcenter.metrics.scrape-token", SCRAPE_TOKEN));
        for (JsonNode team : json(ok(app.request("GET", "/api/admin/teams", null, token(Who.ADMIN))))) {
            switch (team.path("name").asString()) {
                case "Psychology" -> psychology = team.path("id").asString();
                case "Sales" -> sales = team.path("id").asString();
                default -> { }
            }
        }
        for (JsonNode user : json(ok(app.request("GET", "/api/admin/users", null, token(Who.ADMIN))))) {
            switch (user.path("username").asString()) {
                case "alice" -> {
                    aliceUser = user.path("id").asString();
                    aliceAgent = user.path("agent").path("id").asString();
                }
                case "bob" -> bobUser = user.path("id").asString();
                default -> { }
            }
        }
        ok(app.request("POST", "/api/admin/users", """
                {"username":"sam","displayName":"Sam Sales Manager","role":"manager","teamId":"%s","password":"%s"}"""
                .formatted(sales, TestApp.USER_PASSWORD), token(Who.ADMIN)));
        // No API makes a finished call without phones and a carrier; the call history is what is under test here.
        psychologyCall = insertEndedCall(psychology, aliceAgent, "+12125550001");
        String carolAgent = json(ok(app.request("GET", "/api/me", null, token(Who.OTHER_TEAM_AGENT)))).path("agentId").asString();
        salesCall = insertEndedCall(sales, carolAgent, "+12125550002");
        psychologyCampaign = json(created(app.request("POST", "/api/campaigns",
                "{\"name\":\"Matrix campaign\"," + SAFE_HARBOR + "}", token(Who.MANAGER)))).path("campaign").path("id").asString();
        HttpResponse<String> imported = send("POST", "/api/campaigns/" + psychologyCampaign + "/leads",
                "phone\n+1 212 555 0301\n", "text/csv", token(Who.MANAGER));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        psychologyLead = json(ok(app.request("GET", "/api/campaigns/" + psychologyCampaign + "/leads", null,
                token(Who.MANAGER)))).get(0).path("id").asString();
        // Alice serves the team's queue: her own queues and queue login (the agent page).
        var queue = new io.callcenter.call.queue.QueueSettings(UUID.randomUUID(), UUID.fromString(psychology), "Matrix queue",
                io.callcenter.call.queue.QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15), Duration.ofSeconds(60),
                Duration.ZERO, Duration.ofSeconds(20), "default", new io.callcenter.call.queue.QueueSettings.Overflow(
                        io.callcenter.call.queue.QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), 0, null);
        app.bean(io.callcenter.call.queue.QueueRepository.class).save(queue);
        app.bean(io.callcenter.call.queue.QueueRepository.class).saveMember(queue.id(), UUID.fromString(aliceAgent), 1, true);
        psychologyQueue = queue.id().toString();
        psychologySchedule = json(created(app.request("POST", "/api/schedules",
                SCHEDULE_BODY.formatted(psychology, "Matrix office"), token(Who.ADMIN)))).path("id").asString();
        psychologyMenu = json(created(app.request("POST", "/api/menus", """
                {"teamId":"%s","name":"Matrix menu","prompt":"sound:demo-congrats","choices":{},
                 "onInvalid":{"kind":"announcement","target":"sound:ss-noservice"},
                 "onTimeout":{"kind":"announcement","target":"sound:ss-noservice"}}""".formatted(psychology),
                token(Who.ADMIN)))).path("id").asString();
        ok(app.request("POST", "/api/admin/teams/" + psychology + "/numbers", "{\"number\":\"" + ROUTED_NUMBER + "\"}",
                token(Who.ADMIN)));
        psychologyBox = json(created(app.request("POST", "/api/voicemail/boxes",
                "{\"teamId\":\"" + psychology + "\",\"name\":\"Matrix box\"}", token(Who.MANAGER)))).path("id").asString();
        psychologyVoicemail = insertVoicemail(psychologyBox);
        for (Who who : Who.values()) {
            // What the DELETE rows remove: one entry per caller, so an allowed caller never finds it already gone.
            ok(app.request("POST", "/api/dnc", "{\"number\":\"" + numbered("+1212555050{n}", who) + "\"}", token(Who.ADMIN)));
            ok(app.request("POST", "/api/admin/teams/" + psychology + "/numbers",
                    "{\"number\":\"" + numbered("+1212555090{n}", who) + "\"}", token(Who.ADMIN)));
        }
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ the matrix

    private record Cell(String method, String pattern, String path, String body, String contentType,
                        Map<Who, Integer> expected, Map<Who, String> detail) {
        String endpoint() {
            return method + " " + pattern;
        }
    }

    private static final class Matrix {
        final List<Cell> cells = new ArrayList<>();

        /** {@code statuses} in {@link Who} order; {n} in path and body becomes the caller's number (unique data). */
        Cell row(String method, String pattern, String path, String body, int... statuses) {
            return row(method, pattern, path, body, "application/json", statuses);
        }

        Cell row(String method, String pattern, String path, String body, String contentType, int... statuses) {
            assertThat(statuses).as("one status per caller for " + method + " " + path).hasSize(Who.values().length);
            Map<Who, Integer> expected = new EnumMap<>(Who.class);
            for (Who who : Who.values()) {
                expected.put(who, statuses[who.ordinal()]);
            }
            Cell cell = new Cell(method, pattern, path, body, contentType, expected, new EnumMap<>(Who.class));
            cells.add(cell);
            return cell;
        }
    }

    private static Matrix matrix() {
        final int OK = 200, CREATED = 201, NO_CONTENT = 204, BAD = 400, NO_TOKEN = 401, FORBIDDEN = 403,
                NOT_FOUND = 404, CONFLICT = 409;
        Matrix m = new Matrix();
        String call = "/api/calls/" + psychologyCall;
        String psy = "/api/admin/teams/" + psychology;
        //                                                                      anon      alice      maria      carol      sam        admin
        m.row("POST", "/api/auth/login", "/api/auth/login",
                "{\"username\":\"bob\",\"password\":\"" + TestApp.USER_PASSWORD + "\"}", OK, OK, OK, OK, OK, OK);
        // Logout revokes the token it is sent with: each caller sends a fresh one (see signedOutToken).
        m.row("POST", "/api/auth/logout", "/api/auth/logout", null,             NO_TOKEN, NO_CONTENT, NO_CONTENT, NO_CONTENT, NO_CONTENT, NO_CONTENT);
        m.row("POST", "/api/auth/ws-ticket", "/api/auth/ws-ticket", null,       NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("GET", "/api/me", "/api/me", null,                                NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("POST", "/api/me/sip-credentials", "/api/me/sip-credentials", null, NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("GET", "/api/me/state", "/api/me/state", null,                    NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        // Scheduled callbacks: an agent's own (a call that is not a dialled lead of theirs is unknown to them).
        m.row("GET", "/api/me/callbacks", "/api/me/callbacks", null,            NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/callbacks", "/api/me/callbacks",
                "{\"callId\":\"" + UUID.randomUUID() + "\",\"at\":\"2030-01-02T10:00\"}",
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/callbacks/{id}/dial", "/api/me/callbacks/" + UUID.randomUUID() + "/dial", null,
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        // What an agent is offered (a preview or a due callback; none here) and their choice on a preview of theirs.
        m.row("GET", "/api/me/offer", "/api/me/offer", null,                    NO_TOKEN, NO_CONTENT, CONFLICT, NO_CONTENT, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/previews/{id}/dial", "/api/me/previews/" + UUID.randomUUID() + "/dial", null,
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/previews/{id}/skip", "/api/me/previews/" + UUID.randomUUID() + "/skip", "{\"reason\":\"busy\"}",
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        m.row("PUT", "/api/me/state", "/api/me/state", "{\"state\":\"AVAILABLE\"}", NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("GET", "/api/me/queues", "/api/me/queues", null,                  NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("PUT", "/api/me/queues/{queueId}", "/api/me/queues/" + psychologyQueue, "{\"loggedIn\":true}",
                                                                                NO_TOKEN, OK, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        // A queue's callbacks: its team's agents and managers; the other team learns nothing of it.
        m.row("GET", "/api/queues/{queueId}/callbacks", "/api/queues/" + psychologyQueue + "/callbacks", null,
                                                                                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        // Queue administration: managers their own team's queues and members, administrators every team's.
        String queue = "/api/queues/" + psychologyQueue;
        String queueBody = "{\"teamId\":\"%s\",\"name\":\"%s\",\"strategy\":\"longest_idle\"}";
        m.row("GET", "/api/queues", "/api/queues", null,                        NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/queues", "/api/queues", queueBody.formatted(psychology, "Matrix {n}"),
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, NOT_FOUND, CREATED);
        m.row("GET", "/api/queues/{id}", queue, null,                          NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/queues/{id}", queue, queueBody.formatted(psychology, "Matrix queue"),
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/queues/{id}", "/api/queues/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
        m.row("GET", "/api/queues/{id}/members", queue + "/members", null,     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/queues/{id}/members/{agentId}", queue + "/members/" + aliceAgent, "{\"level\":1,\"loggedIn\":true}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/queues/{id}/members/{agentId}", queue + "/members/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);

        // An invalid number: every check before dialling runs, and no call is ever placed.
        m.row("POST", "/api/calls", "/api/calls", "{\"number\":\"not a number\"}", NO_TOKEN, BAD, CONFLICT, BAD, CONFLICT, CONFLICT);
        // On behalf of alice: her manager and the admin may; Sales may not even learn she exists.
        m.row("POST", "/api/calls", "/api/calls", "{\"number\":\"not a number\",\"agentId\":\"" + aliceAgent + "\"}",
                NO_TOKEN, BAD, BAD, NOT_FOUND, NOT_FOUND, BAD);
        m.row("GET", "/api/calls", "/api/calls", null,                          NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("GET", "/api/calls/{id}", call, null,                             NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("POST", "/api/calls/{id}/disposition", call + "/disposition", "{\"code\":\"ANSWERED\"}",
                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("GET", "/api/calls/dispositions", "/api/calls/dispositions", null, NO_TOKEN, OK, OK, OK, OK, OK);
        // Mid-call commands on a call that is over: those who may touch it learn it is not in progress (or that
        // they have no phone); the other team learns nothing about it.
        m.row("POST", "/api/calls/{id}/participants", call + "/participants", "{\"target\":\"1002\"}",
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/transfer", call + "/transfer", "{\"target\":\"1002\",\"mode\":\"blind\"}",
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/transfer/complete", call + "/transfer/complete", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/transfer/cancel", call + "/transfer/cancel", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/recording/pause", call + "/recording/pause", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/recording/resume", call + "/recording/resume", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        // Supervision needs team:1, a call of one's team and a phone to ring; this call is over anyway.
        m.row("PUT", "/api/calls/{id}/supervision", call + "/supervision", "{\"mode\":\"listen\"}",
                NO_TOKEN, FORBIDDEN, CONFLICT, FORBIDDEN, NOT_FOUND, CONFLICT);
        m.row("DELETE", "/api/calls/{id}/supervision", call + "/supervision", null,
                NO_TOKEN, FORBIDDEN, CONFLICT, FORBIDDEN, NOT_FOUND, CONFLICT);
        // Nobody recorded this call: those who may see it learn that; the others learn nothing about it.
        Cell recording = m.row("GET", "/api/calls/{id}/recording", call + "/recording", null,
                NO_TOKEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND);
        for (Who who : List.of(Who.AGENT, Who.MANAGER, Who.ADMIN)) {
            recording.detail().put(who, "has no recording");
        }
        recording.detail().put(Who.OTHER_TEAM_AGENT, "No call with id");
        recording.detail().put(Who.OTHER_TEAM_MANAGER, "No call with id");

        m.row("GET", "/api/admin/users", "/api/admin/users", null,              NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("POST", "/api/admin/users", "/api/admin/users", """
                {"username":"matrix-{n}","displayName":"Matrix {n}","role":"agent","teamId":"%s","password":"%s"}"""
                .formatted(psychology, TestApp.USER_PASSWORD),                  NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("GET", "/api/admin/users/{id}", "/api/admin/users/" + aliceUser, null,
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        // A manager may not edit even their own team's agent: users are the administrators' business.
        m.row("PATCH", "/api/admin/users/{id}", "/api/admin/users/" + bobUser, "{\"displayName\":\"Bob Agent\"}",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("PATCH", "/api/admin/users/{id}", "/api/admin/users/" + aliceUser, "{\"role\":\"admin\"}",
                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CONFLICT);
        m.row("GET", "/api/admin/teams", "/api/admin/teams", null,              NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("POST", "/api/admin/teams", "/api/admin/teams", "{\"name\":\"Matrix {n}\",\"callerIdNumber\":\"+1212555080{n}\"}",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("PUT", "/api/admin/teams/{id}", psy, """
                {"callerIdNumber":"+15550100","maxCallSeconds":21600,"allowedPrefixes":["+1"],"wrapUpSeconds":0}""",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("PUT", "/api/admin/teams/{id}/recording", psy + "/recording",
                "{\"record\":true,\"announcement\":\"sound:conf-now-recording\"}",
                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("POST", "/api/admin/teams/{id}/numbers", psy + "/numbers", "{\"number\":\"+1212555070{n}\"}",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("DELETE", "/api/admin/teams/{id}/numbers/{e164}", psy + "/numbers/+1212555090{n}", null,
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NO_CONTENT);

        m.row("GET", "/api/team/agents", "/api/team/agents", null,              NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("GET", "/api/team/agents", "/api/team/agents?teamId=" + psychology, null,
                                                                                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK);
        m.row("GET", "/api/team/agents", "/api/team/agents?teamId=" + sales, null,
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK);

        // The console: managers watch their own team, administrators any; another team's wallboard does not exist.
        m.row("GET", "/api/console/teams", "/api/console/teams", null,          NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("GET", "/api/console/wallboard", "/api/console/wallboard", null,  NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("GET", "/api/console/wallboard", "/api/console/wallboard?teamId=" + psychology, null,
                                                                                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);

        String campaign = "/api/campaigns/" + psychologyCampaign;
        // Campaigns are managers' work (campaigns:2), each for their own team; another team's campaign does not exist
        // for them.
        m.row("GET", "/api/campaigns", "/api/campaigns", null,                  NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/campaigns", "/api/campaigns",
                "{\"name\":\"Matrix {n}\",\"teamId\":\"" + psychology + "\"," + SAFE_HARBOR + "}",
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("GET", "/api/campaigns/{id}", campaign, null,                     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/campaigns/{id}", campaign, "{\"dialRatio\":\"2.0\"}", NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/campaigns/{id}/enabled", campaign + "/enabled", "{\"enabled\":false}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("POST", "/api/campaigns/{id}/leads", campaign + "/leads", "phone\n+1212555040{n}\n", "text/csv",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/leads", campaign + "/leads", null,    NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/leads/{leadId}", campaign + "/leads/" + psychologyLead, null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/stats", campaign + "/stats", null,    NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/callbacks", campaign + "/callbacks", null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/compliance", campaign + "/compliance", null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/compliance.csv", campaign + "/compliance.csv", null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("POST", "/api/campaigns/{id}/recycle", campaign + "/recycle", "{\"statuses\":[\"NO_ANSWER\"]}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        // Text is no recording: the campaign's managers are told why, nobody else learns anything.
        m.row("PUT", "/api/campaigns/{id}/safe-harbor-audio", campaign + "/safe-harbor-audio", "not a recording", "audio/wav",
                NO_TOKEN, FORBIDDEN, BAD, FORBIDDEN, NOT_FOUND, BAD);
        // No attempt of that id: the campaign's managers learn that, nobody else learns anything.
        m.row("POST", "/api/campaigns/{id}/attempts/{attemptId}/detection-error",
                campaign + "/attempts/" + UUID.randomUUID() + "/detection-error", "{}",
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);

        // Inbound routing: managers configure their own team's (inbound:2), administrators every team's; another
        // team's schedule or number does not exist for them.
        String schedule = "/api/schedules/" + psychologySchedule;
        String routed = "/api/numbers/" + ROUTED_NUMBER + "/destination";
        m.row("GET", "/api/schedules", "/api/schedules", null,                  NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/schedules", "/api/schedules", SCHEDULE_BODY.formatted(psychology, "Matrix {n}"),
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, NOT_FOUND, CREATED);
        m.row("GET", "/api/schedules/{id}", schedule, null,                     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/schedules/{id}", schedule, SCHEDULE_BODY.formatted(psychology, "Matrix office"),
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        // A schedule nobody has: who may manage schedules learns that; agents are refused first.
        m.row("DELETE", "/api/schedules/{id}", "/api/schedules/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
        String menuBody = """
                {"teamId":"%s","name":"%s","prompt":"sound:demo-congrats","choices":{"1":{"kind":"schedule","target":"%s"}},
                 "timeoutSeconds":5,"maxTries":2,"onInvalid":{"kind":"announcement","target":"sound:ss-noservice"},
                 "onTimeout":{"kind":"announcement","target":"sound:ss-noservice"}}""";
        m.row("GET", "/api/menus", "/api/menus", null,                          NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/menus", "/api/menus", menuBody.formatted(psychology, "Matrix {n}", psychologySchedule),
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, NOT_FOUND, CREATED);
        m.row("GET", "/api/menus/{id}", "/api/menus/" + psychologyMenu, null,   NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/menus/{id}", "/api/menus/" + psychologyMenu, menuBody.formatted(psychology, "Matrix menu", psychologySchedule),
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/menus/{id}", "/api/menus/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
        m.row("GET", "/api/numbers/{e164}/destination", routed, null,           NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/numbers/{e164}/destination", routed,
                "{\"kind\":\"schedule\",\"target\":\"" + psychologySchedule + "\"}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/numbers/{e164}/destination", routed, null,        NO_TOKEN, FORBIDDEN, NO_CONTENT, FORBIDDEN, NOT_FOUND, NO_CONTENT);

        // Voicemail: like recordings, agents hear their own and their team's boxes, managers their team's, administrators
        // all; another team's box or message does not exist. Boxes are configured with inbound routing (inbound:2).
        String box = "/api/voicemail/boxes/" + psychologyBox;
        String voicemail = "/api/voicemail/messages/" + psychologyVoicemail;
        m.row("GET", "/api/voicemail/boxes", "/api/voicemail/boxes", null,      NO_TOKEN, OK, OK, OK, OK, OK);
        // The team has its box already: who may configure it learns that.
        m.row("POST", "/api/voicemail/boxes", "/api/voicemail/boxes", "{\"teamId\":\"" + psychology + "\",\"name\":\"Matrix {n}\"}",
                NO_TOKEN, FORBIDDEN, CONFLICT, FORBIDDEN, NOT_FOUND, CONFLICT);
        m.row("PUT", "/api/voicemail/boxes/{id}", box, "{\"name\":\"Matrix box\",\"greeting\":\"sound:vm-intro\"}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/voicemail/boxes/{id}/greeting", box + "/greeting", "not a recording", "audio/wav",
                NO_TOKEN, FORBIDDEN, BAD, FORBIDDEN, NOT_FOUND, BAD);
        m.row("GET", "/api/voicemail/boxes/{id}/messages", box + "/messages", null,
                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("GET", "/api/voicemail/messages/{id}/audio", voicemail + "/audio", null,
                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("POST", "/api/voicemail/messages/{id}/heard", voicemail + "/heard", null,
                NO_TOKEN, NO_CONTENT, NO_CONTENT, NOT_FOUND, NOT_FOUND, NO_CONTENT);
        // No message of that id: nobody learns anything (the row above keeps the real one for the others).
        m.row("DELETE", "/api/voicemail/messages/{id}", "/api/voicemail/messages/" + UUID.randomUUID(), null,
                NO_TOKEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND);

        // Reports: a manager's own team; another team's answers 404 like one that does not exist.
        String day = "&from=2026-03-10&to=2026-03-10&zone=America/New_York";
        for (String report : List.of("/api/reports/intervals", "/api/reports/intervals.csv", "/api/reports/agents",
                "/api/reports/agents.csv", "/api/reports/campaigns", "/api/reports/campaigns.csv", "/api/reports/calls.csv")) {
            m.row("GET", report, report + "?teamId=" + psychology + day, null, NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        }
        // The API's own document: any signed-in user.
        m.row("GET", "/api/docs/openapi", "/api/docs/openapi", null,           NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("GET", "/api/docs/openapi.yaml", "/api/docs/openapi.yaml", null, NO_TOKEN, OK, OK, OK, OK, OK);

        m.row("GET", "/api/dnc", "/api/dnc?limit=10", null,                     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/dnc", "/api/dnc", "{\"number\":\"+1212555060{n}\",\"reason\":\"asked\"}",
                                                                                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, CREATED, CREATED);
        m.row("DELETE", "/api/dnc/{e164}", "/api/dnc/+1212555050{n}", null,     NO_TOKEN, FORBIDDEN, NO_CONTENT, FORBIDDEN, NO_CONTENT, NO_CONTENT);
        m.row("POST", "/api/dnc/import", "/api/dnc/import?source=registry", "number\n+1212555040{n}\n", "text/csv",
                                                                                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        return m;
    }

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
        matrix().cells.forEach(cell -> inMatrix.add(cell.endpoint()));

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
        for (Cell cell : matrix().cells) {
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
        assertThat(firstConsoleFrame(Who.MANAGER, psychology)).startsWith("frame:").contains("\"teamName\":\"Psychology\"");
        assertThat(firstConsoleFrame(Who.ADMIN, sales)).startsWith("frame:").contains("\"teamName\":\"Sales\"");
        assertThat(firstConsoleFrame(Who.OTHER_TEAM_MANAGER, psychology)).isEqualTo("closed:1008");
        assertThat(firstConsoleFrame(Who.AGENT, psychology)).isEqualTo("closed:1008");
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

        assertThat(callIds(Who.MANAGER)).contains(psychologyCall).doesNotContain(salesCall);
        assertThat(callIds(Who.OTHER_TEAM_MANAGER)).contains(salesCall).doesNotContain(psychologyCall);
        assertThat(callIds(Who.OTHER_TEAM_AGENT)).contains(salesCall).doesNotContain(psychologyCall);
        assertThat(callIds(Who.ADMIN)).contains(salesCall, psychologyCall);
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
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("Bad Name!", "agent", psychology, pw, "null", "5001", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "boss", psychology, pw, "null", "5001", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", psychology, pw, "[\"calls\"]", "5001", "sip"), admin), 400, "invalid-permission");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", UUID.randomUUID(), pw, "null", "5001", "sip"), admin), 400, "unknown-team");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", psychology, "short", "null", "5001", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", psychology, pw, "null", "12", "sip"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", psychology, pw, "null", "5001", "fax"), admin), 400, "invalid-request");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "agent", psychology, pw, "null", "1001", "sip"), admin), 409, "extension-taken");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("alice", "agent", psychology, pw, "null", "5001", "sip"), admin), 409, "username-taken");
        assertProblem(app.request("POST", "/api/admin/users", user.formatted("val", "admin", "null", pw, "null", "5001", "sip")
                .replace("\"null\"", "null"), admin), 400, "invalid-request");
        HttpResponse<String> malformed = app.request("POST", "/api/admin/users", "{\"username\":", admin);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
        assertThat(extensions(app.request("GET", "/api/team/agents", null, admin))).doesNotContain("5001");
        assertThat(json(ok(app.request("GET", "/api/admin/users", null, admin))).toString()).doesNotContain("\"val\"");

        JsonNode val = json(created(app.request("POST", "/api/admin/users",
                user.formatted("val", "agent", psychology, pw, "null", "5001", "webrtc"), admin)));
        String id = val.path("id").asString();
        assertThat(val.path("agent").path("phone").asString()).isEqualTo("webrtc");

        JsonNode promoted = json(ok(app.request("PATCH", "/api/admin/users/" + id,
                "{\"role\":\"manager\",\"teamId\":\"" + sales + "\"}", admin)));
        assertThat(promoted.path("permissions").toString()).as("a new role brings its defaults").contains("team:1");
        assertThat(extensions(app.request("GET", "/api/team/agents?teamId=" + sales, null, admin)))
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
        assertProblem(app.request("PATCH", "/api/admin/users/" + adminId, "{\"role\":\"manager\",\"teamId\":\"" + psychology + "\"}", admin),
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
        assertProblem(app.request("PUT", "/api/admin/teams/" + psychology, "{\"callerIdNumber\":\"+15550100\"}", admin), 400, "invalid-request");
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
        return who.username == null ? null : app.token(who.username);
    }

    private static String numbered(String template, Who who) {
        return template.replace("{n}", Integer.toString(who.ordinal()));
    }

    private static HttpResponse<String> send(String method, String path, String body, String contentType, String token) {
        if (body == null || "application/json".equals(contentType)) {
            return app.request(method, path, body, token);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    private static String login(String username, String password) {
        HttpResponse<String> response = app.request("POST", "/api/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", null);
        return json(ok(response)).path("token").asString();
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

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return response;
    }

    private static HttpResponse<String> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM_JSON);
        assertThat(json(response).path("type").asString()).as(response.body()).isEqualTo("/problems/" + slug);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** An ended call of the team's agent, as the call engine would have stored it. */
    /** A message as a caller would have left it in the box: its row and its file. */
    private static String insertVoicemail(String boxId) throws SQLException {
        UUID id = UUID.randomUUID();
        String name = "vm-" + UUID.randomUUID();
        try {
            java.nio.file.Files.write(TestAsterisk.get().recordingsDir().resolve(name + ".wav"),
                    VoicemailIT.tone(440.0, 1.5));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
             PreparedStatement insert = db.prepareStatement("""
                     insert into voicemail_message (id, box_id, call_id, caller_number, recording_name, format, started_at,
                                                    ended_at, duration_ms, size_bytes, sha256)
                     values (?, ?, ?, '+12125550003', ?, 'wav', now() - interval '1 minute', now(), 1500, 24044, 'x')""")) {
            insert.setObject(1, id);
            insert.setObject(2, UUID.fromString(boxId));
            insert.setObject(3, UUID.randomUUID());
            insert.setString(4, name);
            insert.executeUpdate();
        }
        return id.toString();
    }

    private static String insertEndedCall(String teamId, String agentId, String otherParty) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
             PreparedStatement insert = db.prepareStatement("""
                     insert into call (id, direction, state, from_number, to_number, agent_id, team_id, created_at,
                                       answered_at, ended_at, hangup_cause)
                     values (?, 'inbound', 'ENDED', ?, '+15550100', ?, ?, now() - interval '2 minutes',
                             now() - interval '110 seconds', now() - interval '1 minute', 'normal_clearing')""")) {
            insert.setObject(1, id);
            insert.setString(2, otherParty);
            insert.setObject(3, UUID.fromString(agentId));
            insert.setObject(4, UUID.fromString(teamId));
            insert.executeUpdate();
        }
        return id.toString();
    }
}
