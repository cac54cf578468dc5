package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Either side restarting mid-call: calls keep their audio or are closed with a cause, never left open. */
class ResilienceIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);

    private final TestPhones phones = new TestPhones();
    private final List<TestApp> apps = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        phones.close();
        apps.forEach(TestApp::close);
    }

    @Test
    void a_call_survives_the_app_stopping_and_is_completed_by_the_next_app() {
        TestAsterisk asterisk = TestAsterisk.get();
        String database = TestDatabase.get().newDatabase();
        TestApp first = app(database, asterisk);
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        first.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        SipPhone carrier = phones.carrier();

        SipCall fromPstn = carrier.call("+15550100");
        SipCall atAgent = alice.awaitIncomingCall(SIGNAL);
        atAgent.answer();
        fromPstn.awaitAnswered(SIGNAL);
        String callId = new CallRecords(first).awaitLatest(c -> "TALKING".equals(c.path("state").asString()), SIGNAL, "TALKING")
                .path("id").asString();

        first.close();
        apps.remove(first);

        // Asterisk bridges the media itself: the conversation goes on with no app at all.
        fromPstn.playTone(440.0);
        atAgent.playTone(1100.0);
        assertThat(atAgent.awaitHearing(440.0, AUDIO)).as("agent still hears caller with app down").isTrue();
        assertThat(fromPstn.awaitHearing(1100.0, AUDIO)).as("caller still hears agent with app down").isTrue();

        TestApp second = app(database, asterisk);
        CallRecords records = new CallRecords(second);
        records.awaitLatest(c -> c.path("events").toString().contains("resumed after app restart"), SIGNAL, "resumed");

        fromPstn.hangup();
        atAgent.awaitEnded(SIGNAL);
        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("id").asString()).isEqualTo(callId);
        assertThat(call.path("hangupCause").asString()).isEqualTo("caller_hangup");
        CallFlowsIT.assertTimesConsistent(call);
    }

    @Test
    void a_recording_finished_while_the_app_was_down_is_found_and_registered_by_the_next_app() {
        TestAsterisk asterisk = TestAsterisk.get();
        String database = TestDatabase.get().newDatabase();
        TestApp first = app(database, asterisk);
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        first.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        SipPhone carrier = phones.carrier();
        SipCall fromPstn = carrier.call("+15550100");
        SipCall atAgent = alice.awaitIncomingCall(SIGNAL);
        atAgent.answer();
        fromPstn.awaitAnswered(SIGNAL);
        String callId = new CallRecords(first).awaitLatest(c -> c.path("events").toString().contains("recording started"),
                SIGNAL, "recording").path("id").asString();
        fromPstn.playTone(440.0);
        TestApp.sleep(2000);

        // The app goes away, then the call ends: nobody is there to hear that the recording ended.
        first.close();
        apps.remove(first);
        fromPstn.hangup();
        atAgent.hangup();

        TestApp second = app(database, asterisk);
        CallRecords records = new CallRecords(second);
        JsonNode call = records.awaitLatest(c -> CallRecords.ended(c) && !c.path("recordingUrl").isNull(),
                Duration.ofSeconds(20), "ENDED with its recording registered");
        assertThat(call.path("id").asString()).isEqualTo(callId);
        var recording = second.request("GET", "/api/calls/" + callId + "/recording", null, second.token("admin"));
        assertThat(recording.statusCode()).isEqualTo(200);
        assertThat(recording.body().length()).as("a real file, not an empty one").isGreaterThan(16_000);
    }

    @Test
    void asterisk_crash_closes_lost_calls_with_a_cause_and_the_app_reconnects_by_itself() {
        TestAsterisk asterisk = TestAsterisk.get();
        TestApp app = app(TestDatabase.get().newDatabase(), asterisk);
        CallRecords records = new CallRecords(app);
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        SipPhone carrier = phones.carrier();

        SipCall fromPstn = carrier.call("+15550100");
        alice.awaitIncomingCall(SIGNAL).answer();
        fromPstn.awaitAnswered(SIGNAL);
        records.awaitLatest(c -> "TALKING".equals(c.path("state").asString()), SIGNAL, "TALKING");

        asterisk.crashAndRestart();

        JsonNode lost = records.awaitLatest(CallRecords::ended, Duration.ofSeconds(30), "ENDED after restart");
        assertThat(lost.path("hangupCause").asString()).isEqualTo("asterisk_restarted");
        app.awaitAsteriskConnected(Duration.ofSeconds(30));

        // Endpoints were pushed again: a fresh registration and call work without touching the app.
        alice.close();
        carrier.close();
        SipPhone aliceAgain = phones.agent("1001", "127.0.0.3");
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        SipPhone carrierAgain = phones.carrier();
        SipCall again = carrierAgain.call("+15550100");
        SipCall atAgent = aliceAgain.awaitIncomingCall(SIGNAL);
        atAgent.answer();
        again.awaitAnswered(SIGNAL);
        again.playTone(440.0);
        assertThat(atAgent.awaitHearing(440.0, AUDIO)).isTrue();
        again.hangup();
        assertThat(records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED").path("hangupCause").asString())
                .isEqualTo("caller_hangup");
    }

    private TestApp app(String database, TestAsterisk asterisk) {
        TestApp app = TestApp.start(database, asterisk);
        apps.add(app);
        return app;
    }


}
