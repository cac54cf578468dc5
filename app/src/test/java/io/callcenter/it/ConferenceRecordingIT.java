package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three-way conference and compliant recording against the real Asterisk, PostgreSQL and three SIP/RTP peers: the
 * customer (the stand-in carrier calling the team's number), agent 1001, and a third party reached through the
 * trunk. Every party sends its own tone and must hear the others'; the recording is downloaded through the API and
 * searched for each voice.
 */
class ConferenceRecordingIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(6);
    private static final double CUSTOMER = 440.0;
    private static final double AGENT = 700.0;
    private static final double THIRD = 1100.0;
    private static final double CARD_DIGITS = 1500.0;

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

    @Test
    void a_third_party_joins_all_hear_each_other_the_call_survives_the_agent_leaving_and_the_recording_has_every_voice() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();

        SipCall customer = carrier.call(TestApp.DEMO_DID);
        SipCall atAgent = alice.awaitIncomingCall(SIGNAL);
        atAgent.answer();
        customer.awaitAnswered(SIGNAL);
        // Consent: both hear the recording announcement as the recording starts, before anyone says a word.
        TestApp.sleep(1500);
        assertThat(CallFlowsIT.rms(customer.receivedAudio(Duration.ofMillis(1200)))).as("customer hears the announcement").isGreaterThan(300);
        assertThat(CallFlowsIT.rms(atAgent.receivedAudio(Duration.ofMillis(1200)))).as("agent hears the announcement").isGreaterThan(300);
        TestApp.sleep(2000);
        customer.playTone(CUSTOMER);
        atAgent.playTone(AGENT);
        assertThat(atAgent.awaitHearing(CUSTOMER, AUDIO)).isTrue();
        String callId = latestCallId("alice");

        HttpResponse<String> added = app.request("POST", "/api/calls/" + callId + "/participants",
                "{\"target\":\"(555) 765-0001\"}", app.token("alice"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        SipCall third = carrier.awaitIncomingCall(SIGNAL);
        assertThat(third.requestUri()).contains("+15557650001");
        assertThat(customer.hears(AGENT)).as("the two keep talking while the third rings").isTrue();
        third.answer();
        // The joining party hears the announcement alone before joining.
        TestApp.sleep(1500);
        assertThat(CallFlowsIT.rms(third.receivedAudio(Duration.ofMillis(1200)))).as("third party hears the announcement").isGreaterThan(300);
        third.playTone(THIRD);

        assertThat(third.awaitHearing(CUSTOMER, AUDIO)).as("third hears customer").isTrue();
        assertThat(third.awaitHearing(AGENT, AUDIO)).as("third hears agent").isTrue();
        assertThat(customer.awaitHearing(THIRD, AUDIO)).as("customer hears third").isTrue();
        assertThat(customer.awaitHearing(AGENT, AUDIO)).as("customer hears agent").isTrue();
        assertThat(atAgent.awaitHearing(THIRD, AUDIO)).as("agent hears third").isTrue();
        assertThat(atAgent.awaitHearing(CUSTOMER, AUDIO)).as("agent hears customer").isTrue();

        HttpResponse<String> fourth = app.request("POST", "/api/calls/" + callId + "/participants",
                "{\"target\":\"+15557650002\"}", app.token("alice"));
        assertThat(fourth.statusCode()).as("at most three parties").isEqualTo(409);

        atAgent.hangup();
        TestApp.sleep(1500);
        assertThat(customer.awaitHearing(THIRD, AUDIO)).as("customer and third talk on without the agent").isTrue();
        assertThat(third.awaitHearing(CUSTOMER, AUDIO)).isTrue();
        assertThat(customer.state()).isEqualTo(SipCall.State.ANSWERED);

        customer.hangup();
        third.awaitEnded(SIGNAL);
        JsonNode call = awaitRecorded(callId);
        assertThat(call.path("state").asString()).isEqualTo("ENDED");
        List<String> leaves = new ArrayList<>();
        call.path("legs").forEach(leg -> leaves.add(leg.path("role").asString() + ":" + leg.path("leaveReason").asString()));
        assertThat(leaves).containsExactlyInAnyOrder("caller:hung_up", "callee:hung_up", "participant:removed");
        assertThat(events(call)).containsSubsequence("recording started", "recording announced to joining party",
                "participant joined");

        WavFile recording = download(app, callId);
        double talked = Duration.between(Instant.parse(call.path("answeredAt").asString()),
                Instant.parse(call.path("endedAt").asString())).toMillis() / 1000.0;
        assertThat(recording.seconds()).as("the recording covers the call from answer to end").isBetween(talked - 2, talked + 1);
        assertThat(recording.rms()).as("not silent").isGreaterThan(100);
        // The parties were silent until 3.5 s after the answer: what the file holds before is the announcement.
        assertThat(recording.rms(0, 2)).as("the consent announcement is on the recording").isGreaterThan(300);
        assertThat(recording.hasStretchWithAll(CUSTOMER, AGENT, THIRD)).as("all three voices at once").isTrue();
        assertThat(recording.hasStretchWithAll(CUSTOMER, THIRD)).isTrue();
    }

    @Test
    void payment_pause_leaves_a_silent_gap_where_card_details_were_spoken() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();
        SipCall customer = carrier.call(TestApp.DEMO_DID);
        SipCall atAgent = alice.awaitIncomingCall(SIGNAL);
        atAgent.answer();
        customer.awaitAnswered(SIGNAL);
        TestApp.sleep(3000);
        customer.playTone(CUSTOMER);
        atAgent.playTone(AGENT);
        assertThat(atAgent.awaitHearing(CUSTOMER, AUDIO)).isTrue();
        TestApp.sleep(1500);
        String callId = latestCallId("alice");

        assertThat(app.request("POST", "/api/calls/" + callId + "/recording/pause", null, app.token("alice")).statusCode()).isEqualTo(200);
        atAgent.playSilence();
        customer.playTone(CARD_DIGITS);
        assertThat(atAgent.awaitHearing(CARD_DIGITS, AUDIO)).as("the agent still hears the card details").isTrue();
        TestApp.sleep(2500);
        customer.playTone(CUSTOMER);
        atAgent.playTone(AGENT);
        // The agent resumes once she hears the customer's card details are over, as agents are told to (README): a
        // resume takes effect for the audio Asterisk has not mixed yet, and the last ~100 ms of card digits still in
        // the bridge when an immediate resume arrived were written (a full CI run at low load, 2026-11-28).
        assertThat(atAgent.awaitHearing(CUSTOMER, AUDIO)).isTrue();
        assertThat(app.request("POST", "/api/calls/" + callId + "/recording/resume", null, app.token("alice")).statusCode()).isEqualTo(200);
        TestApp.sleep(2500);
        customer.hangup();
        atAgent.awaitEnded(SIGNAL);

        JsonNode call = awaitRecorded(callId);
        assertThat(events(call)).containsSubsequence("recording paused", "recording resumed");
        WavFile recording = download(app, callId);
        assertThat(recording.anyStretchWith(CARD_DIGITS)).as("no card details in the recording").isFalse();
        assertThat(recording.longestSilence(50)).as("the pause is a gap in the recording").isGreaterThan(2.0);
        assertThat(recording.hasStretchWithAll(CUSTOMER, AGENT)).isTrue();
    }

    private String latestCallId(String user) {
        JsonNode page = JSON.readTree(app.request("GET", "/api/calls?limit=1", null, app.token(user)).body());
        return page.path("items").get(0).path("id").asString();
    }

    private JsonNode awaitRecorded(String callId) {
        return new CallRecords(app).awaitCall(callId, "admin", CallRecords::endedWithRecording, SIGNAL, "ENDED with a recording");
    }

    static List<String> events(JsonNode call) {
        List<String> events = new ArrayList<>();
        call.path("events").forEach(event -> events.add(event.path("event").asString()));
        return events;
    }

    /** The call's recording as the API serves it to its agent alice. */
    static WavFile download(TestApp app, String callId) {
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.port() + "/api/calls/" + callId + "/recording"))
                    .header("Authorization", "Bearer " + app.token("alice")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("audio/wav");
            return WavFile.parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
