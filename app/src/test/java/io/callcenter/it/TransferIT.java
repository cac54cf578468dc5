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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blind and attended transfers with three real SIP/RTP peers: the customer (the stand-in carrier calling the team's
 * number), agent 1001 who transfers, and agent 1002 who takes the call. Media is proven by tones each way.
 */
class TransferIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(6);
    private static final double CUSTOMER = 440.0;
    private static final double ALICE = 700.0;
    private static final double BOB = 1100.0;

    private static TestApp app;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
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

    private record Talking(SipPhone alice, SipPhone bob, SipCall customer, SipCall atAlice, String callId) {
    }

    /** The customer calls the team; only alice's phone is registered at first, so she takes it. */
    private Talking customerTalkingToAlice() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        // As a softphone does: the call comes once the app has seen her phone register, not in the same millisecond.
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        SipPhone carrier = phones.carrier();
        SipCall customer = carrier.call(TestApp.DEMO_DID);
        SipCall atAlice = alice.awaitIncomingCall(SIGNAL);
        atAlice.answer();
        customer.awaitAnswered(SIGNAL);
        customer.playTone(CUSTOMER);
        atAlice.playTone(ALICE);
        assertThat(atAlice.awaitHearing(CUSTOMER, AUDIO)).isTrue();
        assertThat(customer.awaitHearing(ALICE, AUDIO)).isTrue();
        SipPhone bob = phones.agent("1002", "127.0.0.4");
        // Phones' states come from Asterisk's events: a transfer in the millisecond bob registers finds him unknown.
        app.awaitAgentState("bob", "AVAILABLE", SIGNAL);
        JsonNode page = JSON.readTree(app.request("GET", "/api/calls?limit=1", null, app.token("alice")).body());
        return new Talking(alice, bob, customer, atAlice, page.path("items").get(0).path("id").asString());
    }

    @Test
    void blind_transfer_hands_the_customer_to_the_target_and_the_agent_is_free() {
        Talking call = customerTalkingToAlice();
        HttpResponse<String> started = transfer(call.callId(), "{\"target\":\"1002\",\"mode\":\"blind\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        call.atAlice().awaitEnded(SIGNAL);

        SipCall atBob = call.bob().awaitIncomingCall(SIGNAL);
        atBob.answer();
        atBob.playTone(BOB);
        assertThat(call.customer().awaitHearing(BOB, AUDIO)).as("customer hears bob").isTrue();
        assertThat(atBob.awaitHearing(CUSTOMER, AUDIO)).as("bob hears customer").isTrue();

        call.customer().hangup();
        atBob.awaitEnded(SIGNAL);
        JsonNode record = awaitEnded(call.callId());
        assertThat(ConferenceRecordingIT.events(record)).contains("blind transfer started", "transfer completed");
        assertThat(leaves(record)).containsExactlyInAnyOrder("caller:hung_up", "callee:transferred", "transfer_target:removed");
        assertThat(record.path("agentId").asString()).as("the call belongs to bob now").isEqualTo(agentId("bob"));
        assertThat(app.request("GET", "/api/calls/" + call.callId(), null, app.token("alice")).statusCode())
                .as("alice still sees the call she took").isEqualTo(200);
    }

    @Test
    void attended_transfer_consults_privately_then_completes() {
        Talking call = customerTalkingToAlice();
        assertThat(transfer(call.callId(), "{\"target\":\"1002\",\"mode\":\"attended\"}").statusCode()).isEqualTo(202);
        SipCall atBob = call.bob().awaitIncomingCall(SIGNAL);
        atBob.answer();
        atBob.playTone(BOB);
        assertThat(call.atAlice().awaitHearing(BOB, AUDIO)).as("alice consults bob").isTrue();
        assertThat(atBob.awaitHearing(ALICE, AUDIO)).isTrue();
        // The hold prompt is speech; once it is over the customer must hear neither of the two consulting.
        TestApp.sleep(3500);
        assertThat(call.customer().hears(BOB, Duration.ofMillis(1000))).as("the customer does not hear the consultation").isFalse();
        assertThat(call.customer().hears(ALICE, Duration.ofMillis(1000))).isFalse();

        HttpResponse<String> completed = app.request("POST", "/api/calls/" + call.callId() + "/transfer/complete", null,
                app.token("alice"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        call.atAlice().awaitEnded(SIGNAL);
        assertThat(call.customer().awaitHearing(BOB, AUDIO)).as("customer hears bob").isTrue();
        assertThat(atBob.awaitHearing(CUSTOMER, AUDIO)).as("bob hears customer").isTrue();

        atBob.hangup();
        call.customer().awaitEnded(SIGNAL);
        JsonNode record = awaitEnded(call.callId());
        assertThat(ConferenceRecordingIT.events(record)).containsSubsequence("attended transfer started",
                "consulting transfer target", "transfer completed");
    }

    @Test
    void attended_transfer_cancelled_brings_the_agent_back_to_the_customer() {
        Talking call = customerTalkingToAlice();
        assertThat(transfer(call.callId(), "{\"target\":\"1002\",\"mode\":\"attended\"}").statusCode()).isEqualTo(202);
        SipCall atBob = call.bob().awaitIncomingCall(SIGNAL);
        atBob.answer();
        assertThat(app.request("POST", "/api/calls/" + call.callId() + "/transfer/complete", null, app.token("bob"))
                .statusCode()).as("only the transferring agent may complete it").isEqualTo(409);
        HttpResponse<String> cancelled = app.request("POST", "/api/calls/" + call.callId() + "/transfer/cancel", null,
                app.token("alice"));
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        atBob.awaitEnded(SIGNAL);
        assertThat(call.customer().awaitHearing(ALICE, AUDIO)).as("customer hears alice again").isTrue();
        assertThat(call.atAlice().awaitHearing(CUSTOMER, AUDIO)).isTrue();

        call.customer().hangup();
        call.atAlice().awaitEnded(SIGNAL);
        JsonNode record = awaitEnded(call.callId());
        assertThat(ConferenceRecordingIT.events(record)).contains("transfer cancelled");
        assertThat(leaves(record)).contains("transfer_target:cancelled");
    }

    @Test
    void a_transfer_to_a_busy_or_unknown_target_is_refused_and_the_call_goes_on() {
        Talking call = customerTalkingToAlice();
        assertThat(transfer(call.callId(), "{\"target\":\"1003\",\"mode\":\"blind\"}").statusCode())
                .as("dave's phone is not registered").isEqualTo(409);
        assertThat(transfer(call.callId(), "{\"target\":\"nonsense\"}").statusCode()).isEqualTo(400);
        assertThat(call.customer().awaitHearing(ALICE, AUDIO)).isTrue();
        call.customer().hangup();
    }

    private HttpResponse<String> transfer(String callId, String body) {
        return app.request("POST", "/api/calls/" + callId + "/transfer", body, app.token("alice"));
    }

    private String agentId(String user) {
        return JSON.readTree(app.request("GET", "/api/me", null, app.token(user)).body()).path("agentId").asString();
    }

    private JsonNode awaitEnded(String callId) {
        return new CallRecords(app).awaitCall(callId, "admin", CallRecords::ended, SIGNAL, "ENDED");
    }

    private static List<String> leaves(JsonNode call) {
        List<String> leaves = new ArrayList<>();
        call.path("legs").forEach(leg -> leaves.add(leg.path("role").asString() + ":" + leg.path("leaveReason").asString()));
        return leaves;
    }
}
