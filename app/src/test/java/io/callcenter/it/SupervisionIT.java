package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live monitoring with real audio: the stand-in carrier calls the team's number, bob's phone answers, and sue, a
 * manager with a desk phone of her own, supervises through ARI snoop. Each party plays its own tone: listen — sue
 * hears both, neither hears her; whisper — only bob hears her; barge — both do. The modes switch on one call of
 * sue's phone, which never rings again.
 */
class SupervisionIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Duration AUDIO = Duration.ofSeconds(8);
    /** Long enough for the detector to be sure of an absence once the tone is known to flow elsewhere. */
    private static final Duration SILENCE_WINDOW = Duration.ofSeconds(2);
    private static final double CUSTOMER = 1100.0;
    private static final double AGENT = 440.0;
    private static final double SUPERVISOR = 1700.0;
    /** What the supervisor says once barging: the only supervisor's tone the recording may hold. */
    private static final double BARGE = 1300.0;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestApp app;
    private static String suePassword;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get(), Map.of());
        String psychology = JSON.readTree(app.request("GET", "/api/me", null, app.token("maria")).body()).path("teamId").asString();
        HttpResponse<String> created = app.request("POST", "/api/admin/users", """
                {"username":"sue","displayName":"Sue Supervisor","role":"manager","teamId":"%s","password":"%s",
                 "agent":{"extension":"1009","phone":"sip"}}""".formatted(psychology, TestApp.USER_PASSWORD),
                app.token("admin"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        suePassword = JSON.readTree(created.body()).path("agent").path("sipPassword").asString();
        assertThat(suePassword).isNotBlank();
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> supervise(String callId, String mode) {
        return app.request("PUT", "/api/calls/" + callId + "/supervision", "{\"mode\":\"" + mode + "\"}", app.token("sue"));
    }

    /** Polls until the tone was in everything {@code call} received for the whole {@code window}. */
    private static boolean awaitHearingThroughout(SipCall call, double hz, Duration window) {
        java.time.Instant deadline = java.time.Instant.now().plus(AUDIO);
        while (java.time.Instant.now().isBefore(deadline)) {
            if (call.hears(hz, window)) {
                return true;
            }
            TestApp.sleep(100);
        }
        return false;
    }

    @Test
    void listen_whisper_and_barge_reach_exactly_the_parties_they_should_and_are_logged() {
        try (TestPhones phones = new TestPhones()) {
            SipPhone sue = phones.supervisor("1009", suePassword, "127.0.0.5");
            // Sue is an agent too (her phone is one): on break, so the caller is not offered to her.
            app.request("PUT", "/api/me/state", "{\"state\":\"BREAK\"}", app.token("sue"));
            app.awaitAgentState("sue", "BREAK", SIGNAL);
            SipPhone bob = phones.agent("1002", "127.0.0.4");
            app.awaitAgentState("bob", "AVAILABLE", SIGNAL);

            SipCall customer = phones.carrier().call(TestApp.DEMO_DID);
            SipCall agent = bob.awaitIncomingCall(SIGNAL);
            agent.answer();
            customer.awaitAnswered(SIGNAL);
            customer.playTone(CUSTOMER);
            agent.playTone(AGENT);
            agent.assertHears(CUSTOMER, AUDIO);
            customer.assertHears(AGENT, AUDIO);
            app.awaitAgentState("bob", "ON_CALL", SIGNAL);
            String callId = JSON.readTree(app.request("GET", "/api/me/state", null, app.token("bob")).body())
                    .path("callId").asString();

            // Listen: sue's phone rings (auto-answer asked), she hears both parties, nobody hears her.
            HttpResponse<String> listen = supervise(callId, "listen");
            assertThat(listen.statusCode()).as(listen.body()).isEqualTo(200);
            SipCall supervisor = sue.awaitIncomingCall(SIGNAL);
            assertThat(supervisor.header("Call-Info")).contains("answer-after=0");
            supervisor.answer();
            supervisor.playTone(SUPERVISOR);
            supervisor.assertHears(CUSTOMER, AUDIO);
            supervisor.assertHears(AGENT, AUDIO);
            assertThat(agent.hears(SUPERVISOR, SILENCE_WINDOW)).as("listen: the agent does not hear the supervisor").isFalse();
            assertThat(customer.hears(SUPERVISOR, SILENCE_WINDOW)).as("listen: the customer does not hear the supervisor").isFalse();

            // Whisper: only the agent hears her; her phone stays the same call.
            assertThat(supervise(callId, "whisper").statusCode()).isEqualTo(200);
            agent.assertHears(SUPERVISOR, AUDIO);
            assertThat(customer.hears(SUPERVISOR, SILENCE_WINDOW)).as("whisper: the customer does not hear the supervisor").isFalse();
            supervisor.assertHears(CUSTOMER, AUDIO);

            // Barge: both hear her. She changes her tone while still whispering, so the recording can tell the modes apart.
            supervisor.playTone(BARGE);
            agent.assertHears(BARGE, AUDIO);
            assertThat(supervise(callId, "barge").statusCode()).isEqualTo(200);
            customer.assertHears(BARGE, AUDIO);
            agent.assertHears(BARGE, AUDIO);
            // Two whole seconds of the barge, so the recording's detector has a stretch of it to find.
            assertThat(awaitHearingThroughout(customer, BARGE, SILENCE_WINDOW)).as("the barge lasts").isTrue();
            assertThat(supervisor.state()).as("one call of sue's phone across every switch").isEqualTo(SipCall.State.ANSWERED);

            // Another team's manager learns nothing about the call.
            assertThat(app.request("PUT", "/api/calls/" + callId + "/supervision", "{\"mode\":\"listen\"}",
                    app.token("admin")).statusCode()).as("admin has no phone").isEqualTo(409);

            assertThat(app.request("DELETE", "/api/calls/" + callId + "/supervision", null, app.token("sue")).statusCode())
                    .isEqualTo(204);
            supervisor.awaitEnded(SIGNAL);
            agent.assertHears(CUSTOMER, AUDIO);

            customer.hangup();
            agent.awaitEnded(SIGNAL);

            JsonNode call = JSON.readTree(app.request("GET", "/api/calls/" + callId, null, app.token("maria")).body());
            List<String> events = new java.util.ArrayList<>();
            call.path("events").forEach(e -> events.add(e.path("event").asString() + ": " + e.path("detail").asString()));
            assertThat(events).contains("supervision requested: listen by sue", "supervision started: listen by sue",
                    "supervision mode: whisper by sue", "supervision mode: barge by sue");
            assertThat(events).anyMatch(e -> e.startsWith("supervision ended: barge by sue"));
            assertThat(events).filteredOn(e -> e.startsWith("supervision started")).as("one answer, one start").hasSize(1);

            // The call's recording (its bridge's mix) has the barge and nothing of the listen or the whisper.
            new CallRecords(app).awaitCall(callId, "admin", CallRecords::endedWithRecording, SIGNAL, "ENDED with a recording");
            WavFile recording = WavFile.parse(app.download("/api/calls/" + callId + "/recording", "maria"));
            assertThat(recording.hasStretchWithAll(CUSTOMER, AGENT)).as("the conversation is recorded").isTrue();
            assertThat(recording.anyStretchWith(BARGE)).as("the barge is in the recording").isTrue();
            assertThat(recording.anyStretchWith(SUPERVISOR)).as("listen and whisper are not").isFalse();
        }
    }
}
