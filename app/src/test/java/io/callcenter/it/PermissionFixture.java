package io.callcenter.it;

import io.callcenter.it.PermissionMatrix.Who;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the permission matrix points at ({@link PermissionsIT}): the two teams, their users, and one thing of each kind
 * belonging to Psychology (a finished call, a campaign with a lead, a queue, a schedule, a menu, a voicemail box with a
 * message), made once through the API as its users would (or in the database where no API makes one); and the
 * matrix's way of calling the API as each caller.
 */
final class PermissionFixture {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A Psychology number the destination rows point elsewhere (not the demo DID other tests call). */
    static final String ROUTED_NUMBER = "+12125550990";
    static final String SCHEDULE_BODY = """
            {"teamId":"%s","name":"%s","zone":"Europe/Berlin",
             "periods":[{"day":"MONDAY","opens":"09:00","closes":"17:00"}],
             "open":{"kind":"announcement","target":"sound:vm-nobodyavail"},
             "closed":{"kind":"announcement","target":"sound:ss-noservice"}}""";
    static final String SAFE_HARBOR = "\"safeHarborMessage\":\"Sorry we missed you, Psychology practice, 555 0100. Press 9 and we will not call you again.\"";

    final TestApp app;
    private final String databaseUrl;
    String psychology;
    String sales;
    String aliceUser;
    String bobUser;
    String aliceAgent;
    String psychologyCall;
    String salesCall;
    String psychologyCampaign;
    String psychologyLead;
    String psychologyQueue;
    String psychologySchedule;
    String psychologyMenu;
    String psychologyBox;
    String psychologyVoicemail;

    private PermissionFixture(TestApp app, String databaseUrl) {
        this.app = app;
        this.databaseUrl = databaseUrl;
    }

    /** Makes everything the rows point at in {@code app}'s fresh database. */
    static PermissionFixture create(TestApp app, String databaseUrl) throws SQLException {
        PermissionFixture f = new PermissionFixture(app, databaseUrl);
        for (JsonNode team : json(ok(f.app.request("GET", "/api/admin/teams", null, f.token(Who.ADMIN))))) {
            switch (team.path("name").asString()) {
                case "Psychology" -> f.psychology = team.path("id").asString();
                case "Sales" -> f.sales = team.path("id").asString();
                default -> { }
            }
        }
        for (JsonNode user : json(ok(f.app.request("GET", "/api/admin/users", null, f.token(Who.ADMIN))))) {
            switch (user.path("username").asString()) {
                case "alice" -> {
                    f.aliceUser = user.path("id").asString();
                    f.aliceAgent = user.path("agent").path("id").asString();
                }
                case "bob" -> f.bobUser = user.path("id").asString();
                default -> { }
            }
        }
        ok(f.app.request("POST", "/api/admin/users", """
                {"username":"sam","displayName":"Sam Sales Manager","role":"manager","teamId":"%s","password":"%s"}"""
                .formatted(f.sales, TestApp.USER_PASSWORD), f.token(Who.ADMIN)));
        // No API makes a finished call without phones and a carrier; the call history is what is under test here.
        f.psychologyCall = f.insertEndedCall(f.psychology, f.aliceAgent, "+12125550001");
        String carolAgent = json(ok(f.app.request("GET", "/api/me", null, f.token(Who.OTHER_TEAM_AGENT)))).path("agentId").asString();
        f.salesCall = f.insertEndedCall(f.sales, carolAgent, "+12125550002");
        f.psychologyCampaign = json(created(f.app.request("POST", "/api/campaigns",
                "{\"name\":\"Matrix campaign\"," + SAFE_HARBOR + "}", f.token(Who.MANAGER)))).path("campaign").path("id").asString();
        HttpResponse<String> imported = f.send("POST", "/api/campaigns/" + f.psychologyCampaign + "/leads",
                "phone\n+1 212 555 0301\n", "text/csv", f.token(Who.MANAGER));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        f.psychologyLead = json(ok(f.app.request("GET", "/api/campaigns/" + f.psychologyCampaign + "/leads", null,
                f.token(Who.MANAGER)))).get(0).path("id").asString();
        // Alice serves the team's queue: her own queues and queue login (the agent page).
        var queue = new io.callcenter.call.queue.QueueSettings(UUID.randomUUID(), UUID.fromString(f.psychology), "Matrix queue",
                io.callcenter.call.queue.QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15), Duration.ofSeconds(60),
                Duration.ZERO, Duration.ofSeconds(20), "default", new io.callcenter.call.queue.QueueSettings.Overflow(
                        io.callcenter.call.queue.QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), 0, null);
        f.app.bean(io.callcenter.call.queue.QueueRepository.class).save(queue);
        f.app.bean(io.callcenter.call.queue.QueueRepository.class).saveMember(queue.id(), UUID.fromString(f.aliceAgent), 1, true);
        f.psychologyQueue = queue.id().toString();
        f.psychologySchedule = json(created(f.app.request("POST", "/api/schedules",
                SCHEDULE_BODY.formatted(f.psychology, "Matrix office"), f.token(Who.ADMIN)))).path("id").asString();
        f.psychologyMenu = json(created(f.app.request("POST", "/api/menus", """
                {"teamId":"%s","name":"Matrix menu","prompt":"sound:demo-congrats","choices":{},
                 "onInvalid":{"kind":"announcement","target":"sound:ss-noservice"},
                 "onTimeout":{"kind":"announcement","target":"sound:ss-noservice"}}""".formatted(f.psychology),
                f.token(Who.ADMIN)))).path("id").asString();
        ok(f.app.request("POST", "/api/admin/teams/" + f.psychology + "/numbers", "{\"number\":\"" + ROUTED_NUMBER + "\"}",
                f.token(Who.ADMIN)));
        f.psychologyBox = json(created(f.app.request("POST", "/api/voicemail/boxes",
                "{\"teamId\":\"" + f.psychology + "\",\"name\":\"Matrix box\"}", f.token(Who.MANAGER)))).path("id").asString();
        f.psychologyVoicemail = f.insertVoicemail(f.psychologyBox);
        for (Who who : Who.values()) {
            // What the DELETE rows remove: one entry per caller, so an allowed caller never finds it already gone.
            ok(f.app.request("POST", "/api/dnc", "{\"number\":\"" + numbered("+1212555050{n}", who) + "\"}", f.token(Who.ADMIN)));
            ok(f.app.request("POST", "/api/admin/teams/" + f.psychology + "/numbers",
                    "{\"number\":\"" + numbered("+1212555090{n}", who) + "\"}", f.token(Who.ADMIN)));
        }
        return f;
    }

    /** The caller's token; none for {@link Who#ANONYMOUS}. */
    String token(Who who) {
        return who.username == null ? null : app.token(who.username);
    }

    /** {n} in a row's path or body becomes the caller's number, so each caller works on data of its own. */
    static String numbered(String template, Who who) {
        return template.replace("{n}", Integer.toString(who.ordinal()));
    }

    /** A request as {@code token}'s holder sends it, with a body of any content type (TestApp's sends JSON). */
    HttpResponse<String> send(String method, String path, String body, String contentType, String token) {
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

    String login(String username, String password) {
        HttpResponse<String> response = app.request("POST", "/api/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", null);
        return json(ok(response)).path("token").asString();
    }

    static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return response;
    }

    static HttpResponse<String> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** A message as a caller would have left it in the box: its row and its file. */
    private String insertVoicemail(String boxId) throws SQLException {
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

    /** An ended call of the team's agent, as the call engine would have stored it. */
    private String insertEndedCall(String teamId, String agentId, String otherParty) throws SQLException {
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
