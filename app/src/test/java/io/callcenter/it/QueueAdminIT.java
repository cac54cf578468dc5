package io.callcenter.it;

import io.callcenter.call.queue.QueueLog;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queue administration through the REST API on the real application, database and Asterisk: a manager makes a queue
 * with defaults, bad settings and exits are refused as problem details, members are the team's agents, another team's
 * manager finds nothing (PermissionsIT), a queue a number or another queue leads to is not deleted, exits into other queues
 * never lead back to the queue, and an edit reaches the running app at once (a real
 * caller is turned away while nobody is logged in, and joins once the queue is set to wait).
 */
class QueueAdminIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM = "application/problem+json";

    private static TestApp app;
    private static String team;
    private static String alice;
    private static String carol;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        team = json(app.request("GET", "/api/me", null, app.token("maria"))).path("teamId").asString();
        alice = json(app.request("GET", "/api/me", null, app.token("alice"))).path("agentId").asString();
        carol = json(app.request("GET", "/api/me", null, app.token("carol"))).path("agentId").asString();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_manager_configures_queues_and_members_with_every_mistake_refused_and_edits_apply_at_once() {
        HttpResponse<String> made = send("POST", "/api/queues", "{\"name\":\"Front desk\"}", "maria");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode queue = json(made);
        String id = queue.path("id").asString();
        assertThat(queue.path("teamId").asString()).isEqualTo(team);
        assertThat(queue.path("strategy").asString()).isEqualTo("longest_idle");
        assertThat(queue.path("ringTimeoutSeconds").asInt()).isEqualTo(15);
        assertThat(queue.path("maxWaitSeconds").asInt()).isEqualTo(600);
        assertThat(queue.path("noAgent").asString()).isEqualTo("wait");
        assertThat(queue.path("callbackEnabled").asBoolean()).isFalse();

        problem(send("POST", "/api/queues", "{\"name\":\"Front desk\"}", "maria"), 409, "name-taken");
        problem(send("PUT", "/api/queues/" + id, "{\"name\":\"Front desk\",\"ringTimeoutSeconds\":2}", "maria"),
                400, "invalid-request").contains("ringTimeoutSeconds must be between 5 and 120");
        problem(send("PUT", "/api/queues/" + id, "{\"name\":\"Front desk\",\"strategy\":\"random\"}", "maria"),
                400, "invalid-request").contains("ring_all");
        problem(send("PUT", "/api/queues/" + id,
                "{\"name\":\"Front desk\",\"overflow\":{\"kind\":\"agent\",\"target\":\"2001\"}}", "maria"),
                400, "unknown-destination").contains("overflow: the team has no agent 2001");
        problem(send("PUT", "/api/queues/" + id,
                "{\"name\":\"Front desk\",\"whenFull\":{\"kind\":\"voicemail\",\"target\":\"" + UUID.randomUUID() + "\"}}",
                "maria"), 400, "unknown-destination").contains("whenFull");
        problem(send("PUT", "/api/queues/" + id + "/members/" + carol, "{\"level\":1}", "maria"), 400, "agent-not-in-team");
        problem(send("PUT", "/api/queues/" + id + "/members/" + alice, "{\"level\":12}", "maria"), 400, "invalid-request")
                .contains("level is 1 (best) to 9");

        HttpResponse<String> member = send("PUT", "/api/queues/" + id + "/members/" + alice,
                "{\"level\":2,\"loggedIn\":false}", "maria");
        assertThat(member.statusCode()).as(member.body()).isEqualTo(200);
        assertThat(json(member).get(0).path("extension").asString()).isEqualTo("1001");
        assertThat(json(member).get(0).path("level").asInt()).isEqualTo(2);

        // Nobody is logged in (alice, the one member, is out): callers go to the "no agent" message at once.
        HttpResponse<String> edited = send("PUT", "/api/queues/" + id, """
                {"name":"Front desk","strategy":"ring_all","noAgent":"overflow",
                 "whenNoAgent":{"kind":"announcement","target":"sound:ss-noservice"},"callbackEnabled":true}""", "maria");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        assertThat(json(edited).path("callbackEnabled").asBoolean()).isTrue();
        HttpResponse<String> routed = send("PUT", "/api/numbers/" + TestApp.DEMO_DID + "/destination",
                "{\"kind\":\"queue\",\"target\":\"" + id + "\"}", "maria");
        assertThat(routed.statusCode()).as(routed.body()).isEqualTo(200);
        UUID queueId = UUID.fromString(id);
        try (TestPhones phones = new TestPhones()) {
            SipPhone carrier = phones.carrier();
            SipCall turnedAway = carrier.call(TestApp.DEMO_DID);
            turnedAway.awaitEnded(Duration.ofSeconds(20));
            TestQueues.awaitLog(app, queueId, rows -> !rows.isEmpty(), "the caller turned away");
            assertThat(TestQueues.log(app, queueId)).extracting(QueueLog::type, QueueLog::detail)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(QueueLog.Type.REFUSED,
                            "no_agent: announcement sound:ss-noservice"));

            // Set to wait, with no restart: the next caller joins and waits.
            assertThat(send("PUT", "/api/queues/" + id, "{\"name\":\"Front desk\",\"noAgent\":\"wait\"}", "maria")
                    .statusCode()).isEqualTo(200);
            SipCall waits = carrier.call(TestApp.DEMO_DID);
            waits.awaitAnswered(Duration.ofSeconds(10));
            TestQueues.awaitLog(app, queueId, rows -> rows.stream().anyMatch(row -> row.type() == QueueLog.Type.JOINED),
                    "the second caller joined");
            waits.hangup();
        }

        // A number leads to the queue: deleting it is refused, naming the number; once pointed elsewhere, it goes.
        problem(send("DELETE", "/api/queues/" + id, null, "maria"), 409, "destination-in-use")
                .contains(TestApp.DEMO_DID);
        assertThat(send("DELETE", "/api/numbers/" + TestApp.DEMO_DID + "/destination", null, "maria").statusCode())
                .isEqualTo(204);
        assertThat(send("DELETE", "/api/queues/" + id + "/members/" + alice, null, "maria").statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/api/queues/" + id, null, "maria").statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/queues/" + id, null, "maria").statusCode()).isEqualTo(404);
        assertThat(json(send("GET", "/api/queues", null, "maria")).toString()).doesNotContain(id);
    }

    @Test
    void a_queue_may_overflow_into_another_of_its_team_but_never_back_into_itself() {
        String first = json(send("POST", "/api/queues", "{\"name\":\"Overflow first\"}", "maria")).path("id").asString();
        problem(send("PUT", "/api/queues/" + first, exitInto("Overflow first", "overflow", first), "maria"),
                409, "destination-cycle").contains("Queue Overflow first would send calls round in a circle");
        problem(send("PUT", "/api/queues/" + first, exitInto("Overflow first", "overflow", UUID.randomUUID().toString()),
                "maria"), 400, "unknown-destination").contains("overflow: the team has no queue");

        HttpResponse<String> second = send("POST", "/api/queues", exitInto("Overflow second", "whenFull", first), "maria");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        String secondId = json(second).path("id").asString();
        assertThat(json(second).path("whenFull").path("kind").asString()).isEqualTo("queue");
        HttpResponse<String> into = send("PUT", "/api/queues/" + first, exitInto("Overflow first", "overflow", secondId),
                "maria");
        // first -> second (max wait) -> first (when full): a loop, refused whichever exit closes it.
        problem(into, 409, "destination-cycle").contains("queue " + first, "queue " + secondId);
        assertThat(json(send("GET", "/api/queues/" + first, null, "maria")).path("overflow").path("kind").asString())
                .isEqualTo("announcement");
        problem(send("DELETE", "/api/queues/" + first, null, "maria"), 409, "destination-in-use")
                .contains("still used by queue Overflow second");

        // Another team's queue is no exit of this one.
        String sales = json(send("GET", "/api/me", null, "carol")).path("teamId").asString();
        HttpResponse<String> elsewhere = send("POST", "/api/queues",
                "{\"teamId\":\"" + sales + "\",\"name\":\"Elsewhere\"}", "admin");
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(201);
        problem(send("PUT", "/api/queues/" + first, exitInto("Overflow first", "whenNoAgent",
                json(elsewhere).path("id").asString()), "maria"), 400, "unknown-destination").contains("whenNoAgent");
    }

    private static String exitInto(String name, String exit, String queueId) {
        return "{\"name\":\"" + name + "\",\"" + exit + "\":{\"kind\":\"queue\",\"target\":\"" + queueId + "\"}}";
    }

    private static org.assertj.core.api.AbstractStringAssert<?> problem(HttpResponse<String> response, int status,
                                                                        String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(PROBLEM);
        assertThat(json(response).path("type").asString()).endsWith(type);
        return assertThat(json(response).path("detail").asString());
    }

    private static HttpResponse<String> send(String method, String path, String body, String user) {
        return app.request(method, path, body, app.token(user));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
