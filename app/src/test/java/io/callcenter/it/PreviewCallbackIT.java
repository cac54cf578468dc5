package io.callcenter.it;

import io.callcenter.testkit.TestClock;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled callbacks against the Telnyx stand-in and real Asterisk, on a dialer clock set to a Monday morning in New
 * York: a person the dialer reached asks alice to call back; a time outside calling hours is refused; her own
 * callback comes back to her, and only to her, as a preview when its time comes (pushed over her socket, holding her
 * while it stands); dialling it places the call with the lead's id through the SIP trunk, with her phone rung first.
 */
class PreviewCallbackIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Monday 2026-03-02 10:00 in New York (the lead's zone). */
    private static final Instant MONDAY_10_NY = Instant.parse("2026-03-02T15:00:00Z");

    private static final TestClock clock = TestClock.running(MONDAY_10_NY);
    private static FakeTelnyx telnyx;
    private static TestApp app;
    private static TestPhones phones;
    private static SipPhone alicePhone;
    private static SipPhone carrier;
    private final DialerCampaigns dialer = new DialerCampaigns(() -> app);

    @BeforeAll
    static void startSystem() throws Exception {
        telnyx = new FakeTelnyx();
        telnyx.clock = clock;
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get(), telnyx.appSettings(
                // The law's hours, as deployed: the dialer's clock says it is Monday morning in New York.
                Map.of("callcenter.dialer.lawful-calling-hours", "08:00-21:00")), clock);
        telnyx.webhooksTo(app);
        phones = new TestPhones();
        alicePhone = phones.agent("1001", "127.0.0.3");
        carrier = phones.carrier();
        app.awaitAgentState("alice", "AVAILABLE", Duration.ofSeconds(8));
    }

    @AfterAll
    static void stop() {
        DialerRig.closeAll(phones, app, telnyx);
    }

    @Test
    void an_agents_callback_is_refused_outside_calling_hours_and_comes_back_to_her_as_a_preview_at_its_time()
            throws Exception {
        String campaign = dialer.create("{\"name\":\"Callbacks\",\"dialRatio\":\"1.5\",\"callingHours\":{\"start\":\"08:00\",\"end\":\"21:00\"}}");
        dialer.importLeads(campaign, "phone,name\n(212) 555-0101,Ann Callback\n");
        dialer.enable(campaign);

        // The dialer reaches Ann and hands her to alice.
        FakeTelnyx.Dial dial = telnyx.awaitDial(Duration.ofSeconds(8));
        assertThat(dial.body().path("time_limit_secs").asInt()).as("the carrier's cap, set explicitly").isEqualTo(14_400);
        telnyx.answeredBy(dial, "human_residence");
        telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        SipCall person = carrier.call("attempt-" + dial.attemptId());
        SipCall atAgent = alicePhone.awaitIncomingCall(Duration.ofSeconds(5));
        atAgent.answer();
        person.awaitAnswered(Duration.ofSeconds(5));
        person.playTone(440);
        assertThat(atAgent.awaitHearing(440, Duration.ofSeconds(5))).as("alice hears Ann").isTrue();
        dialer.switchAllOff();
        person.hangup();
        atAgent.awaitEnded(Duration.ofSeconds(5));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));

        // "Call me back at half past nine tonight": the law's 21:00 in New York says no.
        HttpResponse<String> late = callback(dial.attemptId().toString(), "2026-03-02T21:30", "AGENT");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(400);
        assertThat(late.body()).contains("callback-outside-calling-hours");
        HttpResponse<String> set = callback(dial.attemptId().toString(), "2026-03-02T10:05", "AGENT");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(201);
        JsonNode promised = JSON.readTree(set.body());
        assertThat(promised.path("dueAt").asString()).isEqualTo("2026-03-02T15:05:00Z");
        assertThat(promised.path("localTime").asString()).isEqualTo("2026-03-02T10:05");
        assertThat(promised.path("zone").asString()).isEqualTo("America/New_York");
        HttpResponse<String> disposed = app.request("POST", "/api/calls/" + dial.attemptId() + "/disposition",
                "{\"code\":\"CALLBACK\"}", app.token("alice"));
        assertThat(disposed.statusCode()).as(disposed.body()).isEqualTo(200);

        dialer.awaitLeads(campaign, leads -> "CALLBACK".equals(leads.get(0).path("status").asString()));
        assertThat(mine("alice").get(0).path("due").asBoolean()).as("not before its time").isFalse();
        assertThat(mine("carol")).as("another agent never sees it").isEmpty();

        TestSocket pushes = TestSocket.open(app.webSocketUrl("/api/agent/events", app.token("alice")));
        clock.advance(Duration.ofMinutes(6));
        // Offered when due: pushed to her page, and she is held for it (no queue or inbound call meanwhile).
        JsonNode pushed = nextOffer(pushes);
        assertThat(pushed.path("kind").asString()).isEqualTo("CALLBACK");
        assertThat(pushed.path("leadName").asString()).isEqualTo("Ann Callback");
        assertThat(pushed.path("previousAttempts").size()).isEqualTo(1);
        app.awaitAgentState("alice", "ON_CALL", Duration.ofSeconds(8));
        JsonNode offered = awaitMine(c -> "OFFERED".equals(c.path("status").asString()));
        assertThat(offered.path("id").asString()).isEqualTo(pushed.path("id").asString());
        assertThat(offered.path("due").asBoolean()).isTrue();
        assertThat(offered.path("leadName").asString()).isEqualTo("Ann Callback");
        assertThat(offered.path("number").asString()).isEqualTo("+12125550101");
        assertThat(offered.path("previousAttempts").asInt()).isEqualTo(1);
        assertThat(telnyx.pollDial(Duration.ofMillis(300))).as("an agent's callback is not the auto-dialer's").isNull();

        // Dial: the callback is settled and the preview call goes out with the lead's id, alice's phone first.
        HttpResponse<String> taken = app.request("POST", "/api/me/callbacks/" + offered.path("id").asString() + "/dial",
                null, app.token("alice"));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        assertThat(JSON.readTree(taken.body()).path("status").asString()).isEqualTo("DONE");
        HttpResponse<String> placed = app.request("POST", "/api/calls", "{\"number\":\"+12125550101\",\"leadId\":\""
                + offered.path("leadId").asString() + "\"}", app.token("alice"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        SipCall ownPhone = alicePhone.awaitIncomingCall(Duration.ofSeconds(5));
        ownPhone.answer();
        SipCall atAnn = carrier.awaitIncomingCall(Duration.ofSeconds(8));
        atAnn.answer();
        atAnn.playTone(440);
        ownPhone.playTone(1100);
        assertThat(ownPhone.awaitHearing(440, Duration.ofSeconds(5))).as("alice hears Ann again").isTrue();
        assertThat(atAnn.awaitHearing(1100, Duration.ofSeconds(5))).as("Ann hears alice").isTrue();
        atAnn.hangup();
        ownPhone.awaitEnded(Duration.ofSeconds(5));
        assertThat(mine("alice")).as("nothing left to call back").isEmpty();
    }

    /** The next {@code offer} frame on the agent's socket, the frames before it (state changes) passed over. */
    private static JsonNode nextOffer(TestSocket socket) throws InterruptedException {
        for (int frame = 0; frame < 20; frame++) {
            JsonNode message = JSON.readTree(socket.next());
            if ("offer".equals(message.path("type").asString()) && !message.path("offer").isNull()) {
                return message.path("offer");
            }
        }
        throw new AssertionError("no offer pushed in 20 frames");
    }

    private HttpResponse<String> callback(String callId, String at, String owner) {
        return app.request("POST", "/api/me/callbacks",
                "{\"callId\":\"" + callId + "\",\"at\":\"" + at + "\",\"owner\":\"" + owner + "\"}", app.token("alice"));
    }

    private JsonNode mine(String agent) {
        HttpResponse<String> response = app.request("GET", "/api/me/callbacks", null, app.token(agent));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode awaitMine(java.util.function.Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode c : mine("alice")) {
                if (condition.test(c)) {
                    return c;
                }
            }
            TestApp.sleep(200);
        }
        throw new AssertionError("no callback as expected: " + mine("alice"));
    }
}
