package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The team's talk-time limit, with the shortest limit a team may have (60 s) and a 10 s warning: both parties hear
 * the warning, then the app ends the call with cause time_limit. The team does not record its calls here, which is
 * checked too (no announcement, no recording).
 */
class TalkTimeLimitIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestApp app;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get(),
                Map.of("callcenter.calls.limit-warning", "10s"));
    }

    @AfterEach
    void closePhones() {
        // Also when the test failed: a phone left registered, or the carrier's 127.0.0.2:5060 still bound, would
        // fail the next test class instead.
        phones.close();
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void the_parties_hear_a_warning_before_the_limit_and_the_call_ends_at_it() {
        String team = teamId("Psychology");
        String admin = app.token("admin");
        assertThat(app.request("PUT", "/api/admin/teams/" + team, """
                {"callerIdNumber":"+15550100","maxCallSeconds":60,"allowedPrefixes":["+1"],"wrapUpSeconds":0}""", admin)
                .statusCode()).isEqualTo(200);
        assertThat(app.request("PUT", "/api/admin/teams/" + team + "/recording", "{\"record\":false}", admin).statusCode())
                .isEqualTo(200);

        SipPhone alice = phones.agent("1001", "127.0.0.3");
        // Registered is not yet reachable: a call before Asterisk's qualify answers goes to the announcement.
        app.awaitAgentState("alice", "AVAILABLE", Duration.ofSeconds(10));
        SipPhone carrier = phones.carrier();
        SipCall customer = carrier.call(TestApp.DEMO_DID);
        SipCall atAgent = alice.awaitIncomingCall(Duration.ofSeconds(10));
        atAgent.answer();
        customer.awaitAnswered(Duration.ofSeconds(10));
        Instant answered = Instant.now();
        TestApp.sleep(3000);
        assertThat(CallFlowsIT.rms(customer.receivedAudio(Duration.ofMillis(2000)))).as("no recording announcement")
                .isLessThan(100);

        // The warning comes 10 s before the limit: listen from 45 s to 57 s after the answer.
        TestApp.sleep(Duration.between(Instant.now(), answered.plusSeconds(45)).toMillis());
        boolean agentHeard = false;
        boolean customerHeard = false;
        while (Instant.now().isBefore(answered.plusSeconds(57)) && !(agentHeard && customerHeard)) {
            agentHeard |= CallFlowsIT.rms(atAgent.receivedAudio(Duration.ofMillis(400))) > 300;
            customerHeard |= CallFlowsIT.rms(customer.receivedAudio(Duration.ofMillis(400))) > 300;
            TestApp.sleep(200);
        }
        assertThat(agentHeard).as("the agent hears the warning").isTrue();
        assertThat(customerHeard).as("the customer hears the warning").isTrue();

        customer.awaitEnded(Duration.ofSeconds(15));
        atAgent.awaitEnded(Duration.ofSeconds(5));
        JsonNode page = JSON.readTree(app.request("GET", "/api/calls?limit=1", null, admin).body());
        JsonNode call = new CallRecords(app).awaitCall(page.path("items").get(0).path("id").asString(), "admin",
                CallRecords::ended, Duration.ofSeconds(10), "ENDED");
        assertThat(call.path("hangupCause").asString()).isEqualTo("time_limit");
        assertThat(call.path("durationSeconds").asInt()).as("cut at the limit").isBetween(59, 61);
        assertThat(call.path("recordingUrl").isNull()).as("the team does not record").isTrue();
        assertThat(ConferenceRecordingIT.events(call)).contains("talk-time limit warning").doesNotContain("recording started");
    }

    private static String teamId(String name) {
        for (JsonNode team : JSON.readTree(app.request("GET", "/api/admin/teams", null, app.token("admin")).body())) {
            if (name.equals(team.path("name").asString())) {
                return team.path("id").asString();
            }
        }
        throw new AssertionError("no team " + name);
    }
}
