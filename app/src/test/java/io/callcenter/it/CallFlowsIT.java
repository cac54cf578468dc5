package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three call flows end to end: real Asterisk 22, real PostgreSQL, real SIP and RTP from test user agents.
 * Media is proven by each party detecting the other party's tone, so a call that "connects" without audio fails.
 */
class CallFlowsIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final double CALLER_TONE = 440.0;
    private static final double CALLEE_TONE = 1100.0;

    private static TestAsterisk asterisk;
    private static TestApp app;
    private static CallRecords records;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        asterisk = TestAsterisk.get();
        app = TestApp.start(TestDatabase.get().newDatabase(), asterisk);
        records = new CallRecords(app);
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
    void internal_call_between_two_extensions() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone bob = phones.agent("1002", "127.0.0.4");

        SipCall outgoing = alice.call("1002");
        SipCall incoming = bob.awaitIncomingCall(SIGNAL);
        assertThat(incoming.fromUser()).isEqualTo("1001");
        incoming.ringing();
        outgoing.awaitRinging(SIGNAL);
        incoming.answer();
        outgoing.awaitAnswered(SIGNAL);

        outgoing.playTone(CALLER_TONE);
        incoming.playTone(CALLEE_TONE);
        assertThat(incoming.awaitHearing(CALLER_TONE, AUDIO)).as("1002 hears 1001").isTrue();
        assertThat(outgoing.awaitHearing(CALLEE_TONE, AUDIO)).as("1001 hears 1002").isTrue();

        outgoing.hangup();
        incoming.awaitEnded(SIGNAL);

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("direction").asString()).isEqualTo("internal");
        assertThat(call.path("fromNumber").asString()).isEqualTo("1001");
        assertThat(call.path("toNumber").asString()).isEqualTo("1002");
        assertThat(call.path("hangupCause").asString()).isEqualTo("caller_hangup");
        assertTimesConsistent(call);
        assertThat(call.path("legs")).hasSize(2);
    }

    @Test
    void outbound_call_leaves_through_the_trunk_with_the_team_caller_id() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();

        SipCall outgoing = alice.call("+15557654321");
        SipCall atCarrier = carrier.awaitIncomingCall(SIGNAL);
        assertThat(atCarrier.requestUri()).contains("+15557654321");
        assertThat(callerIdAtCarrier(atCarrier)).isEqualTo(TestApp.DEMO_DID);
        atCarrier.ringing();
        atCarrier.answer();
        outgoing.awaitAnswered(SIGNAL);

        outgoing.playTone(CALLER_TONE);
        atCarrier.playTone(CALLEE_TONE);
        assertThat(atCarrier.awaitHearing(CALLER_TONE, AUDIO)).as("far end hears the agent").isTrue();
        assertThat(outgoing.awaitHearing(CALLEE_TONE, AUDIO)).as("agent hears the far end").isTrue();

        atCarrier.hangup();
        outgoing.awaitEnded(SIGNAL);

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("direction").asString()).isEqualTo("outbound");
        assertThat(call.path("fromNumber").asString()).isEqualTo(TestApp.DEMO_DID);
        assertThat(call.path("toNumber").asString()).isEqualTo("+15557654321");
        assertThat(call.path("hangupCause").asString()).isEqualTo("callee_hangup");
        assertTimesConsistent(call);
    }

    @Test
    void national_number_is_normalised_and_busy_far_end_is_reported_to_the_agent() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();

        SipCall outgoing = alice.call("5557654321");
        SipCall atCarrier = carrier.awaitIncomingCall(SIGNAL);
        assertThat(atCarrier.requestUri()).contains("+15557654321");
        atCarrier.reject(486);
        outgoing.awaitEnded(SIGNAL);
        assertThat(outgoing.finalStatus()).isEqualTo(486);

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("hangupCause").asString()).isEqualTo("busy");
        assertThat(call.path("answeredAt").isNull()).isTrue();
    }

    @Test
    void inbound_call_to_the_team_number_reaches_an_available_agent() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone carrier = phones.carrier();

        SipCall fromPstn = carrier.call("+15550100");
        SipCall atAgent = alice.awaitIncomingCall(SIGNAL);
        assertThat(atAgent.fromUser()).as("agent sees the caller's number").isEqualTo(TestPhones.CARRIER_CALLER);
        atAgent.ringing();
        fromPstn.awaitRinging(SIGNAL);
        atAgent.answer();
        fromPstn.awaitAnswered(SIGNAL);

        fromPstn.playTone(CALLER_TONE);
        atAgent.playTone(CALLEE_TONE);
        assertThat(atAgent.awaitHearing(CALLER_TONE, AUDIO)).as("agent hears the caller").isTrue();
        assertThat(fromPstn.awaitHearing(CALLEE_TONE, AUDIO)).as("caller hears the agent").isTrue();

        fromPstn.hangup();
        atAgent.awaitEnded(SIGNAL);

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("direction").asString()).isEqualTo("inbound");
        assertThat(call.path("toNumber").asString()).isEqualTo(TestApp.DEMO_DID);
        assertThat(call.path("agentId").isNull()).isFalse();
        assertThat(call.path("hangupCause").asString()).isEqualTo("caller_hangup");
        assertTimesConsistent(call);
    }

    @Test
    void inbound_call_with_nobody_available_hears_a_message_then_is_released() {
        SipPhone carrier = phones.carrier();

        SipCall fromPstn = carrier.call("+15550100");
        fromPstn.awaitAnswered(SIGNAL);
        // Not silence: the announcement carries speech energy.
        TestApp.sleep(1500);
        assertThat(rms(fromPstn.receivedAudio(Duration.ofMillis(1000)))).as("caller hears a message").isGreaterThan(300);
        fromPstn.awaitEnded(Duration.ofSeconds(20));

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("hangupCause").asString()).isEqualTo("no_agent_available");
        assertThat(call.path("answeredAt").isNull()).as("nobody talked to the caller").isTrue();
    }

    @Test
    void call_to_an_unknown_number_is_told_so() {
        SipPhone carrier = phones.carrier();

        SipCall fromPstn = carrier.call("+15559999999");
        fromPstn.awaitAnswered(SIGNAL);
        fromPstn.awaitEnded(Duration.ofSeconds(20));

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("hangupCause").asString()).isEqualTo("unallocated_number");
    }

    @Test
    void unanswered_agent_is_skipped_for_the_next_one() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone bob = phones.agent("1002", "127.0.0.4");
        SipPhone carrier = phones.carrier();

        SipCall fromPstn = carrier.call("+15550100");
        // Whoever is rung first does not answer (ring timeout in tests: 8 s); the other one must be rung next.
        SipPhone first = firstToRing(alice, bob);
        SipPhone second = first == alice ? bob : alice;
        SipCall secondRings = second.awaitIncomingCall(Duration.ofSeconds(15));
        secondRings.answer();
        fromPstn.awaitAnswered(SIGNAL);
        fromPstn.playTone(CALLER_TONE);
        assertThat(secondRings.awaitHearing(CALLER_TONE, AUDIO)).isTrue();
        secondRings.hangup();
        fromPstn.awaitEnded(SIGNAL);

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(call.path("legs")).hasSize(3);
        assertThat(call.path("hangupCause").asString()).isEqualTo("callee_hangup");
    }

    /** The history's size once every call in it has ended and two reads a moment apart agree. */
    private int settledHistorySize() {
        Instant deadline = Instant.now().plus(SIGNAL);
        int previous = -1;
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = records.page("?limit=200").path("items");
            boolean allEnded = true;
            for (JsonNode item : items) {
                allEnded &= CallRecords.ended(item);
            }
            if (allEnded && items.size() == previous) {
                return previous;
            }
            previous = allEnded ? items.size() : -1;
            TestApp.sleep(300);
        }
        throw new AssertionError("the call history did not settle within " + SIGNAL);
    }

    @Test
    void call_history_pages_are_stable_and_errors_are_problem_details() {
        SipPhone carrier = phones.carrier();
        for (int i = 0; i < 3; i++) {
            SipCall call = carrier.call("+1555999000" + i);
            call.awaitAnswered(SIGNAL);
            call.hangup();
        }
        records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        // Paging is checked on a settled history: on a loaded machine a call's first save can come after the latest
        // call's end, and a record added between the count and the first page would be counted twice.
        int total = settledHistorySize();
        assertThat(total).isGreaterThanOrEqualTo(3);

        java.util.List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        JsonNode previous = null;
        do {
            JsonNode page = records.page("?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            for (JsonNode item : page.path("items")) {
                if (previous != null) {
                    Instant created = Instant.parse(item.path("createdAt").asString());
                    Instant before = Instant.parse(previous.path("createdAt").asString());
                    assertThat(created.isBefore(before) || created.equals(before)
                            && item.path("id").asString().compareTo(previous.path("id").asString()) < 0)
                            .as("newest first: %s after %s", item.path("id"), previous.path("id")).isTrue();
                }
                previous = item;
                seen.add(item.path("id").asString());
            }
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().hasSize(total);

        var notAnId = app.get("/api/calls/not-a-uuid");
        assertThat(notAnId.statusCode()).isEqualTo(400);
        assertThat(notAnId.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        var missing = app.get("/api/calls/" + java.util.UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"title\":\"Not found\"");
        assertThat(app.get("/api/calls?limit=0").statusCode()).isEqualTo(400);
        assertThat(app.get("/api/calls?cursor=garbage").statusCode()).isEqualTo(400);
    }

    private SipPhone firstToRing(SipPhone a, SipPhone b) {
        Instant deadline = Instant.now().plus(SIGNAL);
        while (Instant.now().isBefore(deadline)) {
            if (a.hasIncomingCall()) {
                return a;
            }
            if (b.hasIncomingCall()) {
                return b;
            }
            TestApp.sleep(50);
        }
        throw new AssertionError("no agent was rung");
    }



    private static String callerIdAtCarrier(SipCall call) {
        String pai = call.header("P-Asserted-Identity");
        String source = pai != null ? pai : call.header("From");
        int start = source.indexOf("sip:") + 4;
        int end = source.indexOf('@', start);
        return source.substring(start, end);
    }

    static void assertTimesConsistent(JsonNode call) {
        Instant created = Instant.parse(call.path("createdAt").asString());
        Instant answered = Instant.parse(call.path("answeredAt").asString());
        Instant ended = Instant.parse(call.path("endedAt").asString());
        assertThat(answered).isAfterOrEqualTo(created);
        assertThat(ended).isAfter(answered);
        assertThat(ended).isBefore(Instant.now().plusSeconds(1));
        assertThat(call.path("durationSeconds").asInt())
                .isEqualTo((int) Duration.between(answered, ended).toSeconds());
    }

    static double rms(short[] samples) {
        if (samples.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short sample : samples) {
            sum += (double) sample * sample;
        }
        return Math.sqrt(sum / samples.length);
    }
}
