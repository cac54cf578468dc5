package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls placed through the API (the softphone's dialpad and redial, a CRM's click-to-dial), the outbound guard,
 * dispositions and who may see which call, against the real Asterisk, PostgreSQL and SIP/RTP peers. The agents use
 * SIP test phones here; the browser softphone runs the same API in SoftphoneBrowserIT.
 */
class PlacedCallsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);

    private static TestAsterisk asterisk;
    private static TestApp app;
    private static String databaseUrl;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        asterisk = TestAsterisk.get();
        databaseUrl = TestDatabase.get().newDatabase();
        app = TestApp.start(databaseUrl, asterisk);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void closePhones() {
        phones.close();
        // The next test counts available agents and registers the same extensions: wait until Asterisk let go.
        TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
    }

    @Test
    void click_to_dial_brings_the_agent_in_then_dials_the_normalised_number_with_the_team_caller_id() {
        SipPhone alice = readyAgent("alice", "1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();

        HttpResponse<String> placed = place("alice", "{\"number\":\"(555) 765-4321\",\"leadId\":\"lead-7\"}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(placed.body());
        String callId = body.path("callId").asString();
        assertThat(body.path("number").asString()).isEqualTo("+15557654321");

        SipCall atAgent = alice.awaitIncomingCall(SIGNAL);
        assertThat(atAgent.header("X-CallCenter-Auto-Answer")).as("auto-answer marker for the softphone").isEqualTo(callId);
        assertThat(atAgent.fromUser()).as("the agent's phone shows whom they call").isEqualTo("+15557654321");
        atAgent.answer();

        SipCall atCarrier = carrier.awaitIncomingCall(SIGNAL);
        assertThat(atCarrier.requestUri()).contains("+15557654321");
        assertThat(atCarrier.header("P-Asserted-Identity")).contains(TestApp.DEMO_DID);
        atCarrier.ringing();
        // Ringback while the far end rings: the agent's leg is answered, so Asterisk plays it in-band.
        assertThat(atAgent.awaitHearing(440, AUDIO)).as("agent hears ringback (US ring tone has 440 Hz)").isTrue();
        atCarrier.answer();

        atAgent.playTone(700);
        atCarrier.playTone(1100);
        assertThat(atCarrier.awaitHearing(700, AUDIO)).as("far end hears the agent").isTrue();
        assertThat(atAgent.awaitHearing(1100, AUDIO)).as("agent hears the far end").isTrue();
        atCarrier.hangup();
        atAgent.awaitEnded(SIGNAL);

        JsonNode call = awaitEnded("alice", callId);
        assertThat(call.path("direction").asString()).isEqualTo("outbound");
        assertThat(call.path("number").asString()).isEqualTo("+15557654321");
        assertThat(call.path("leadId").asString()).isEqualTo("lead-7");
        assertThat(call.path("answeredAt").isNull()).isFalse();

        HttpResponse<String> disposed = app.request("POST", "/api/calls/" + callId + "/disposition",
                "{\"code\":\"INTERESTED\",\"note\":\"call back Tuesday\"}", app.token("alice"));
        assertThat(disposed.statusCode()).as(disposed.body()).isEqualTo(200);
        JsonNode history = JSON.readTree(app.request("GET", "/api/calls?limit=5", null, app.token("alice")).body());
        assertThat(history.path("items").get(0).path("id").asString()).isEqualTo(callId);
        assertThat(history.path("items").get(0).path("disposition").asString()).isEqualTo("INTERESTED");
    }

    @Test
    void click_to_dial_to_an_extension_is_an_internal_call_that_never_uses_the_trunk() {
        SipPhone alice = readyAgent("alice", "1001", "127.0.0.3");
        SipPhone bob = readyAgent("bob", "1002", "127.0.0.4");
        SipPhone carrier = phones.carrier();

        HttpResponse<String> placed = place("alice", "{\"number\":\"1002\"}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        assertThat(JSON.readTree(placed.body()).path("internal").asBoolean()).isTrue();
        alice.awaitIncomingCall(SIGNAL).answer();
        SipCall atBob = bob.awaitIncomingCall(SIGNAL);
        assertThat(atBob.fromUser()).isEqualTo("1001");
        atBob.answer();
        atBob.playTone(1100);
        TestApp.sleep(1000);
        assertThat(carrier.hasIncomingCall()).as("nothing reached the carrier").isFalse();
        atBob.hangup();

        JsonNode call = awaitEnded("bob", JSON.readTree(placed.body()).path("callId").asString());
        assertThat(call.path("direction").asString()).isEqualTo("internal");
    }

    @Test
    void bad_numbers_and_guarded_destinations_are_refused_with_problem_details_before_any_call_exists() {
        readyAgent("alice", "1001", "127.0.0.3");
        long callsBefore = callRows();
        assertProblem(place("alice", "{\"number\":\"12\"}"), 400, "/problems/invalid-number");
        assertProblem(place("alice", "{\"number\":\"hello\"}"), 400, "/problems/invalid-number");
        assertProblem(place("alice", "{\"number\":\"+44 20 7123 4567\"}"), 400, "/problems/country-not-allowed");
        // Agents with no team's say: a manager of another team cannot dial for alice.
        String aliceAgentId = JSON.readTree(app.request("GET", "/api/me", null, app.token("alice")).body())
                .path("agentId").asString();
        assertProblem(app.request("POST", "/api/calls", "{\"number\":\"+15557654321\",\"agentId\":\"" + aliceAgentId + "\"}",
                app.token("carol")), 404, "/problems/not-found");
        assertProblem(app.request("POST", "/api/calls", "{\"number\":\"+15557654321\"}", null), 401, "/problems/unauthenticated");
        assertThat(callRows()).as("call records after five refused requests").isEqualTo(callsBefore);
    }

    @Test
    void an_agent_whose_phone_is_not_registered_is_told_so() {
        long callsBefore = callRows();
        assertProblem(place("bob", "{\"number\":\"+15557654321\"}"), 409, "/problems/agent-not-ready");
        assertThat(callRows()).as("call records after the refusal").isEqualTo(callsBefore);
    }

    @Test
    void a_do_not_call_disposition_stops_every_later_call_to_the_number() {
        SipPhone alice = readyAgent("alice", "1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();
        HttpResponse<String> placed = place("alice", "{\"number\":\"+15557650000\"}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        String callId = JSON.readTree(placed.body()).path("callId").asString();
        alice.awaitIncomingCall(SIGNAL).answer();
        SipCall atCarrier = carrier.awaitIncomingCall(SIGNAL);
        atCarrier.answer();
        atCarrier.hangup();
        awaitEnded("alice", callId);

        assertThat(app.request("POST", "/api/calls/" + callId + "/disposition", "{\"code\":\"DO_NOT_CALL\"}",
                app.token("alice")).statusCode()).isEqualTo(200);
        assertProblem(place("alice", "{\"number\":\"+1 555 765 0000\"}"), 403, "/problems/do-not-call");
        assertProblem(app.request("POST", "/api/calls/" + callId + "/disposition", "{\"code\":\"ABANDONED\"}",
                app.token("alice")), 400, "/problems/invalid-disposition");
    }

    @Test
    void each_user_sees_only_the_calls_they_may() {
        SipPhone alice = readyAgent("alice", "1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();
        HttpResponse<String> placed = place("alice", "{\"number\":\"+15557651111\"}");
        String callId = JSON.readTree(placed.body()).path("callId").asString();
        alice.awaitIncomingCall(SIGNAL).answer();
        SipCall atCarrier = carrier.awaitIncomingCall(SIGNAL);
        atCarrier.answer();
        atCarrier.hangup();
        awaitEnded("alice", callId);

        assertThat(app.request("GET", "/api/calls/" + callId, null, app.token("alice")).statusCode()).isEqualTo(200);
        assertThat(app.request("GET", "/api/calls/" + callId, null, app.token("maria")).statusCode())
                .as("the team's manager").isEqualTo(200);
        assertThat(app.request("GET", "/api/calls/" + callId, null, app.token("bob")).statusCode())
                .as("a colleague who was not on the call").isEqualTo(404);
        assertThat(app.request("GET", "/api/calls/" + callId, null, app.token("carol")).statusCode())
                .as("another team").isEqualTo(404);
        assertThat(app.request("GET", "/api/calls/" + callId + "/recording", null, app.token("carol")).statusCode())
                .as("another team's recording").isEqualTo(404);
        assertThat(app.request("GET", "/api/calls?limit=200", null, app.token("carol")).body()).doesNotContain(callId);
        assertThat(app.request("GET", "/api/calls?limit=200", null, app.token("bob")).body()).doesNotContain(callId);
        assertThat(app.request("POST", "/api/calls/" + callId + "/disposition", "{\"code\":\"ANSWERED\"}",
                app.token("carol")).statusCode()).as("nor may they touch it").isEqualTo(404);
    }

    private HttpResponse<String> place(String user, String json) {
        return app.request("POST", "/api/calls", json, app.token(user));
    }

    private JsonNode awaitEnded(String user, String callId) {
        return new CallRecords(app).awaitCall(callId, user, CallRecords::ended, SIGNAL, "ENDED");
    }

    /** Every call the server has recorded, live or ended, whoever's: a refused request must add none. */
    private static long callRows() {
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
             ResultSet rows = db.createStatement().executeQuery("select count(*) from call")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count calls", e);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).path("type").asString()).isEqualTo(type);
    }

    /**
     * Registers the agent's phone and waits until the app has seen it (the agent AVAILABLE): registration reaches
     * the app as an endpoint event a moment after the REGISTER's 200, and a call placed before that is refused.
     */
    private SipPhone readyAgent(String user, String extension, String address) {
        SipPhone phone = phones.agent(extension, address);
        app.awaitAgentState(user, "AVAILABLE", SIGNAL);
        return phone;
    }
}
