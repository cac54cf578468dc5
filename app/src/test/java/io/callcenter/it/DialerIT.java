package io.callcenter.it;

import io.callcenter.agent.AgentDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-dialer against a stand-in for Telnyx Call Control: the app dials through it, the test plays the carrier
 * by sending signed webhooks, and checks the commands the app sends back (transfer, hangup, speak), the attempts'
 * records and the campaign's switches. Alice's SIP phone is registered, so she is the team's one available agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DialerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SOON = Duration.ofSeconds(8);

    private static TestAsterisk asterisk;
    private static TestApp app;
    private static FakeTelnyx telnyx;
    private static TestPhones phones;
    private static io.callcenter.testkit.sip.SipPhone alicePhone;
    private static io.callcenter.testkit.sip.SipPhone carrier;
    private static UUID alice;
    private static String databaseUrl;
    private static Map<String, String> overrides;
    private final DialerCampaigns dialer = new DialerCampaigns(() -> app);

    @BeforeAll
    static void startSystem() throws Exception {
        asterisk = TestAsterisk.get();
        telnyx = new FakeTelnyx();
        databaseUrl = TestDatabase.get().newDatabase();
        overrides = telnyx.appSettings(Map.of());
        app = TestApp.start(databaseUrl, asterisk, overrides);
        telnyx.webhooksTo(app);
        phones = new TestPhones();
        alicePhone = phones.agent("1001", "127.0.0.3");
        carrier = phones.carrier();
        alice = app.bean(AgentDirectory.class).byExtension("1001").orElseThrow().id();
        awaitAgentState("alice", "AVAILABLE");
    }

    @AfterAll
    static void stop() {
        if (phones != null) {
            phones.close();
        }
        if (app != null) {
            app.close();
        }
        if (telnyx != null) {
            telnyx.close();
        }
    }

    @AfterEach
    void switchCampaignsOff() {
        dialer.switchAllOff();
        awaitAgentState("alice", "AVAILABLE");
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    void a_human_is_transferred_to_our_asterisk_and_connected_to_the_reserved_agent() throws Exception {
        String campaign = dialer.create("{\"name\":\"Human\",\"dialRatio\":\"1.5\"}");
        JsonNode report = dialer.importLeads(campaign, "phone,name,external_id\n(212) 555-0101,Ann,crm-1\n");
        assertThat(report.path("created").asInt()).isEqualTo(1);
        telnyx.failNext.set(1);
        dialer.enable(campaign);

        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        assertThat(dial.to()).isEqualTo("+12125550101");
        assertThat(dial.from()).as("the team's caller ID").isEqualTo("+15550100");
        assertThat(dial.amd()).isEqualTo("premium");
        assertThat(dial.body().path("connection_id").asString()).isEqualTo("conn-1");
        assertThat(dial.body().path("timeout_secs").asInt()).as("rings at least 15 s").isGreaterThanOrEqualTo(15);
        assertThat(dial.body().path("command_id").asString()).isEqualTo("dial-" + dial.attemptId());

        telnyx.send(dial, "call.initiated", Map.of("state", "bridging"));
        telnyx.answeredBy(dial, "human_residence");

        FakeTelnyx.Action transfer = telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        assertThat(transfer.body().path("to").asString()).isEqualTo("sip:attempt-" + dial.attemptId() + "@127.0.0.1");

        assertThat(agentState("alice")).as("reserved for the person").isEqualTo("ON_CALL");
        // What Telnyx does on transfer: the person's call arrives from the carrier at sip:attempt-<id>@us.
        long humanAt = System.nanoTime();
        io.callcenter.testkit.sip.SipCall person = carrier.call("attempt-" + dial.attemptId());
        io.callcenter.testkit.sip.SipCall atAgent = alicePhone.awaitIncomingCall(Duration.ofSeconds(5));
        assertThat(atAgent.header("X-CallCenter-Auto-Answer")).as("the softphone answers it at once").isNotNull();
        assertThat(atAgent.fromUser()).as("the agent sees whom they talk to").isEqualTo("+12125550101");
        atAgent.answer();
        person.awaitAnswered(Duration.ofSeconds(5));
        person.playTone(440);
        atAgent.playTone(1100);
        assertThat(atAgent.awaitHearing(440, Duration.ofSeconds(5))).as("agent hears the person").isTrue();
        assertThat(person.awaitHearing(1100, Duration.ofSeconds(5))).as("the person hears the agent").isTrue();
        System.out.printf("dialer: transfer arrival to two-way audio %d ms%n", (System.nanoTime() - humanAt) / 1_000_000);
        JsonNode call = JSON.readTree(app.request("GET", "/api/calls/" + dial.attemptId(), null, app.token("maria")).body());
        assertThat(call.path("state").asString()).as("the call record shares the attempt's id").isEqualTo("TALKING");
        assertThat(call.path("number").asString()).isEqualTo("+12125550101");
        // While they talk the attempt is stored CONNECTED (told from the call's lane, not after the call's write).
        JsonNode talking = dialer.awaitAttempt(campaign, a -> "CONNECTED".equals(a.path("attempt").path("state").asString()));
        assertThat(talking.path("attempt").path("state").asString()).isEqualTo("CONNECTED");

        person.hangup();
        atAgent.awaitEnded(Duration.ofSeconds(5));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("ANSWERED");
        assertThat(DialerCampaigns.states(attempt)).containsSubsequence("DIALING", "RINGING", "ANSWERED", "HUMAN", "TRANSFERRING", "CONNECTED", "ENDED");
        assertThat(telnyx.actions(dial.callControlId())).as("no hangup from us").extracting(FakeTelnyx.Action::action)
                .containsExactly("transfer");

        JsonNode stats = dialer.get("/api/campaigns/" + campaign + "/stats");
        assertThat(stats.path("dials").asInt()).isEqualTo(1);
        assertThat(stats.path("humans").asInt()).isEqualTo(1);
        assertThat(stats.path("abandons").asInt()).isZero();
        assertThat(stats.path("abandonRate").asDouble()).isZero();
        assertThat(stats.path("avgSecondsToConnect").isNull()).isFalse();
        assertThat(stats.path("agentUtilisation").asDouble()).as("alice spent some time on the call").isBetween(0.0001, 1.0);
        assertThat(dialer.lead(campaign).path("status").asString()).isEqualTo("DONE");
    }

    @Test
    void a_transfer_for_an_attempt_nobody_waits_for_hears_the_safe_harbor_message() {
        io.callcenter.testkit.sip.SipCall person = carrier.call("attempt-" + UUID.randomUUID());
        person.awaitAnswered(Duration.ofSeconds(5));
        TestApp.sleep(1500);
        assertThat(CallFlowsIT.rms(person.receivedAudio(Duration.ofMillis(1000)))).as("a message, never silence").isGreaterThan(300);
        person.awaitEnded(Duration.ofSeconds(20));
        assertThat(alicePhone.hasIncomingCall()).as("no agent is rung").isFalse();
    }

    @Test
    void a_machine_is_hung_up_on_and_tagged_voicemail() throws Exception {
        String campaign = dialer.started("{\"name\":\"Machine\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0102\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        telnyx.send(dial, "call.initiated", Map.of());
        telnyx.answeredBy(dial, "machine");
        telnyx.awaitAction(dial.callControlId(), "hangup", Duration.ofSeconds(3));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "caller"));

        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("VOICEMAIL");
        assertThat(telnyx.actions(dial.callControlId())).extracting(FakeTelnyx.Action::action).doesNotContain("transfer");
        assertThat(dialer.lead(campaign).path("lastOutcome").asString()).isEqualTo("VOICEMAIL");
        assertThat(dialer.lead(campaign).path("status").asString()).as("voicemail is retried later").isEqualTo("RETRY");
        assertThat(agentState("alice")).as("a machine never reaches an agent").isEqualTo("AVAILABLE");
    }

    @Test
    void a_machine_with_a_beep_gets_the_campaigns_message_when_the_policy_says_so() throws Exception {
        String campaign = dialer.started("{\"name\":\"Beep\",\"dialRatio\":\"1.5\",\"voicemail\":{\"policy\":\"leave_message\","
                + "\"message\":\"Hello, this is Psychology, please call 555 0100\"}}",
                "phone\n+1 212 555 0103\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        telnyx.answeredBy(dial, "machine");
        TestApp.sleep(600);
        assertThat(telnyx.actions(dial.callControlId())).as("waits for the beep").isEmpty();
        telnyx.send(dial, "call.machine.premium.greeting.ended", Map.of("result", "beep_detected"));
        FakeTelnyx.Action speak = telnyx.awaitAction(dial.callControlId(), "speak", Duration.ofSeconds(3));
        assertThat(speak.body().path("payload").asString()).isEqualTo("Hello, this is Psychology, please call 555 0100");
        telnyx.send(dial, "call.speak.ended", Map.of());
        telnyx.awaitAction(dial.callControlId(), "hangup", Duration.ofSeconds(3));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing"));
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("VOICEMAIL");
        assertThat(DialerCampaigns.states(attempt)).containsSubsequence("MACHINE", "LEAVING_MESSAGE", "HANGING_UP", "ENDED");
    }

    @Test
    void not_sure_goes_to_an_agent_and_a_lead_who_hangs_up_first_frees_the_agent() throws Exception {
        String campaign = dialer.started("{\"name\":\"NotSure\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0104\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        telnyx.answeredBy(dial, "not_sure");
        telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("amdResult").asString()).isEqualTo("not_sure");
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("ABANDONED");
        awaitAgentState("alice", "AVAILABLE");
    }

    @Test
    void no_answer_and_busy_end_with_their_outcomes_and_a_retry_time() throws Exception {
        String campaign = dialer.started("{\"name\":\"Unanswered\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0105\n+1 212 555 0106\n");
        // 1.5 x one agent: two calls at once.
        FakeTelnyx.Dial first = telnyx.awaitDial(SOON);
        FakeTelnyx.Dial second = telnyx.awaitDial(SOON);
        telnyx.send(first, "call.initiated", Map.of());
        telnyx.send(second, "call.initiated", Map.of());
        telnyx.send(first, "call.hangup", Map.of("hangup_cause", "timeout"));
        telnyx.send(second, "call.hangup", Map.of("hangup_cause", "user_busy", "sip_hangup_cause", "486"));
        dialer.awaitLeads(campaign, leads -> leads.valueStream().allMatch(l -> "RETRY".equals(l.path("status").asString())));
        Map<String, JsonNode> byNumber = new java.util.HashMap<>();
        dialer.leads(campaign).valueStream().forEach(l -> byNumber.put(l.path("e164").asString(), l));
        assertThat(byNumber.get(first.to()).path("lastOutcome").asString()).isEqualTo("NO_ANSWER");
        assertThat(byNumber.get(second.to()).path("lastOutcome").asString()).isEqualTo("BUSY");
        assertThat(Instant.parse(byNumber.get(first.to()).path("nextAttemptAt").asString()))
                .as("not before the minimum gap").isAfter(Instant.now().plusSeconds(3000));
    }

    @Test
    void duplicated_and_out_of_order_webhooks_apply_once_in_the_order_they_happened() throws Exception {
        String campaign = dialer.started("{\"name\":\"Order\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0107\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        Instant t = Instant.now();
        ObjectNode answered = telnyx.event(dial, "call.answered", t.plusMillis(800), Map.of());
        ObjectNode initiated = telnyx.event(dial, "call.initiated", t.plusMillis(100), Map.of());
        assertThat(telnyx.deliver(answered).statusCode()).isEqualTo(200);
        assertThat(telnyx.deliver(initiated).statusCode()).isEqualTo(200);
        HttpResponse<String> again = telnyx.deliver(answered);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("duplicate").asBoolean()).isTrue();

        ObjectNode machine = telnyx.event(dial, "call.machine.premium.detection.ended", t.plusMillis(3000), Map.of("result", "machine"));
        telnyx.deliver(machine);
        telnyx.deliver(machine);
        telnyx.awaitAction(dial.callControlId(), "hangup", Duration.ofSeconds(3));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing"));
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        // Late after the end: recorded as ignored, changes nothing.
        telnyx.deliver(telnyx.event(dial, "call.answered", t.plusMillis(900), Map.of()));
        TestApp.sleep(800);
        attempt = dialer.awaitAttempt(campaign, a -> true);

        assertThat(DialerCampaigns.states(attempt)).containsExactly("DIALING", "RINGING", "ANSWERED", "HANGING_UP", "ENDED");
        assertThat(telnyx.actions(dial.callControlId())).extracting(FakeTelnyx.Action::action).containsExactly("hangup");
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("VOICEMAIL");
        assertThat(attempt.path("events").valueStream().filter(e -> e.path("detail").asString("").startsWith("ignored")).count())
                .as("the late call.answered").isEqualTo(1);
    }

    @Test
    void webhooks_with_a_bad_signature_or_a_stale_timestamp_are_refused_and_change_nothing() throws Exception {
        String campaign = dialer.started("{\"name\":\"Signatures\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0108\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        TestApp.sleep(300);
        JsonNode before = dialer.awaitAttempt(campaign, a -> true);

        String body = JSON.writeValueAsString(telnyx.event(dial, "call.answered", Instant.now(), Map.of()));
        HttpResponse<String> forged = telnyx.deliver(body, Instant.now().getEpochSecond(), false);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(JSON.readTree(forged.body()).path("type").asString()).isEqualTo("/problems/webhook-signature-invalid");

        HttpResponse<String> stale = telnyx.deliver(body, Instant.now().getEpochSecond() - 301, true);
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(stale.body()).path("type").asString()).isEqualTo("/problems/webhook-timestamp-stale");

        TestApp.sleep(800);
        JsonNode after = dialer.awaitAttempt(campaign, a -> true);
        assertThat(after.path("attempt").path("state").asString()).isEqualTo("DIALING");
        assertThat(after.path("events")).isEqualTo(before.path("events"));

        HttpResponse<String> genuine = telnyx.deliver(body, Instant.now().getEpochSecond(), true);
        assertThat(genuine.statusCode()).as("the very same body, signed").isEqualTo(200);
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing"));
        dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
    }

    @Test
    void a_human_no_agent_can_take_within_two_seconds_is_abandoned_with_the_safe_harbor_message() throws Exception {
        String campaign = dialer.started("{\"name\":\"Abandon\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0109\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        // Alice gets busy with something else before the person answers.
        UUID otherCall = UUID.randomUUID();
        AgentDirectory directory = app.bean(AgentDirectory.class);
        assertThat(directory.tryReserve(alice, otherCall)).isTrue();
        try {
            telnyx.send(dial, "call.answered", Map.of());
            Instant human = Instant.now();
            telnyx.send(dial, "call.machine.premium.detection.ended", Map.of("result", "human_business"));
            FakeTelnyx.Action speak = telnyx.awaitAction(dial.callControlId(), "speak", Duration.ofSeconds(5));
            Duration waited = Duration.between(human, Instant.now());
            // The 2 s run from the end of the greeting, which detection heard 800 ms (its silence) before the verdict.
            assertThat(waited).as("gave an agent 2 s after the greeting, not much more")
                    .isBetween(Duration.ofMillis(1100), Duration.ofMillis(2700));
            assertThat(speak.body().toString()).as("the person hears the safe-harbor message").contains("call");
        } finally {
            directory.release(alice, otherCall);
        }
        assertThat(telnyx.actions(dial.callControlId())).extracting(FakeTelnyx.Action::action)
                .as("no hangup before the message is over").doesNotContain("hangup");
        telnyx.send(dial, "call.speak.ended", Map.of());
        telnyx.awaitAction(dial.callControlId(), "hangup", Duration.ofSeconds(5));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing"));
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("ABANDONED");
        assertThat(attempt.path("events").valueStream().map(e -> e.path("detail").asString(""))
                .anyMatch(d -> d.contains("safe-harbor message"))).isTrue();
        assertThat(telnyx.actions(dial.callControlId())).extracting(FakeTelnyx.Action::action).doesNotContain("transfer");
        JsonNode stats = dialer.get("/api/campaigns/" + campaign + "/stats");
        assertThat(stats.path("abandons").asInt()).isEqualTo(1);
        assertThat(stats.path("abandonRate").asDouble()).isEqualTo(1.0);
        assertThat(dialer.lead(campaign).path("nextAttemptAt").asString()).as("72 h before an abandoned lead is called again")
                .satisfies(next -> assertThat(Instant.parse(next)).isAfter(Instant.now().plus(Duration.ofHours(71))));
    }

    @Test
    void switching_a_campaign_off_mid_dial_lets_calls_in_flight_finish_and_starts_no_new_ones() throws Exception {
        String campaign = dialer.started("{\"name\":\"Switch\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0110\n+1 212 555 0111\n+1 212 555 0112\n");
        FakeTelnyx.Dial first = telnyx.awaitDial(SOON);
        FakeTelnyx.Dial second = telnyx.awaitDial(SOON);
        HttpResponse<String> off = app.request("PUT", "/api/campaigns/" + campaign + "/enabled",
                "{\"enabled\":false,\"reason\":\"list needs review\"}", app.token("maria"));
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        telnyx.send(first, "call.hangup", Map.of("hangup_cause", "timeout"));
        telnyx.send(second, "call.hangup", Map.of("hangup_cause", "timeout"));
        assertThat(telnyx.pollDial(Duration.ofSeconds(2))).as("no new dial after the switch").isNull();

        JsonNode view = dialer.get("/api/campaigns/" + campaign);
        assertThat(view.path("campaign").path("enabled").asBoolean()).isFalse();
        assertThat(view.path("campaign").path("enabledReason").asString()).isEqualTo("list needs review");
        assertThat(view.path("changes").valueStream().filter(c -> "enabled".equals(c.path("switchName").asString()))
                .map(c -> c.path("value").asBoolean()).toList()).containsExactly(true, false);
        assertThat(dialer.leads(campaign).valueStream().filter(l -> "NEW".equals(l.path("status").asString())).count()).isEqualTo(1);
    }

    @Test
    void the_campaign_pauses_when_the_last_agent_goes_on_break_and_resumes_when_one_is_back() throws Exception {
        String campaign = dialer.create("{\"name\":\"Pause\",\"dialRatio\":\"1.5\"}");
        dialer.enable(campaign);
        dialer.awaitCampaign(campaign, c -> !c.path("campaign").path("paused").asBoolean());
        try {
            assertThat(app.request("PUT", "/api/me/state", "{\"state\":\"BREAK\"}", app.token("alice")).statusCode()).isEqualTo(200);
            JsonNode paused = dialer.awaitCampaign(campaign, c -> c.path("campaign").path("paused").asBoolean());
            assertThat(paused.path("campaign").path("pausedReason").asString()).contains("no agent");
            dialer.importLeads(campaign, "phone\n+1 212 555 0113\n");
            assertThat(telnyx.pollDial(Duration.ofSeconds(2))).as("paused: no dial").isNull();
        } finally {
            app.request("PUT", "/api/me/state", "{\"state\":\"AVAILABLE\"}", app.token("alice"));
        }
        dialer.awaitCampaign(campaign, c -> !c.path("campaign").path("paused").asBoolean());
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        assertThat(dial.to()).isEqualTo("+12125550113");
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "timeout"));
        dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        JsonNode changes = dialer.get("/api/campaigns/" + campaign).path("changes");
        assertThat(changes.valueStream().filter(c -> "paused".equals(c.path("switchName").asString()))
                .map(c -> c.path("value").asBoolean()).toList()).containsSubsequence(false, true, false);
    }

    @Test
    void managers_see_only_their_teams_campaigns_and_lists_are_validated() {
        String campaign = dialer.create("{\"name\":\"Scope\"}");
        HttpResponse<String> asCarol = app.request("GET", "/api/campaigns/" + campaign, null, app.token("carol"));
        assertThat(asCarol.statusCode()).as("agents lack campaigns:2").isEqualTo(403);
        assertThat(app.request("GET", "/api/campaigns/" + campaign, null, app.token("admin")).statusCode()).isEqualTo(200);
        HttpResponse<String> badRatio = app.request("POST", "/api/campaigns",
                "{\"name\":\"x\",\"dialRatio\":\"5\",\"safeHarborMessage\":\"m\"}", app.token("maria"));
        assertThat(badRatio.statusCode()).isEqualTo(400);
        HttpResponse<String> badCap = app.request("PUT", "/api/campaigns/" + campaign,
                "{\"retry\":{\"maxAttempts\":4,\"maxAttemptsByOutcome\":{\"BUSY\":9}}}", app.token("maria"));
        assertThat(badCap.statusCode()).isEqualTo(400);
        assertThat(badCap.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        assertThat(badCap.body()).contains("between 1 and maxAttempts (4)");
        HttpResponse<String> caps = app.request("PUT", "/api/campaigns/" + campaign,
                "{\"retry\":{\"maxAttempts\":4,\"maxAttemptsByOutcome\":{\"MACHINE\":2,\"BUSY\":4}}}", app.token("maria"));
        assertThat(caps.statusCode()).as(caps.body()).isEqualTo(200);
        assertThat(JSON.readTree(caps.body()).path("campaign").path("retry").path("maxAttemptsAfter").path("VOICEMAIL").asInt())
                .as("MACHINE is the VOICEMAIL outcome, stored and read back").isEqualTo(2);
        JsonNode report = dialer.importLeads(campaign, "phone,name\n2125550150,A\nnope,B\n+1 212 555 0150,dup\n");
        assertThat(report.path("created").asInt()).isEqualTo(1);
        assertThat(report.path("merged").asInt()).isEqualTo(1);
        assertThat(report.path("rejected").get(0).path("line").asInt()).isEqualTo(3);
    }

    @Test
    void progressive_holds_the_free_agent_before_its_dial_and_connects_the_person_to_her() throws Exception {
        String campaign = dialer.started("{\"name\":\"Progressive\",\"dialRatio\":\"PROGRESSIVE\"}",
                "phone\n+1 212 555 0170\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        assertThat(agentState("alice")).as("held from before the dial, while it rings").isEqualTo("ON_CALL");
        telnyx.send(dial, "call.initiated", Map.of());
        telnyx.answeredBy(dial, "human_residence");
        telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        JsonNode attempt = dialer.connectHearAndHangUp(campaign, telnyx, dial, carrier, alicePhone);
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("ANSWERED");
        assertThat(attempt.path("events").get(0).path("detail").asString()).as("the dial names the held agent")
                .contains("agent " + alice + " held");
        assertThat(dialer.get("/api/campaigns/" + campaign + "/stats").path("abandons").asInt()).isZero();
    }

    @Test
    void recycling_puts_back_only_the_chosen_closed_statuses_and_redials_only_them() throws Exception {
        String campaign = dialer.create("{\"name\":\"Recycle\",\"dialRatio\":\"1.5\"}");
        dialer.importLeads(campaign, "phone\n+1 212 555 0160\n+1 212 555 0161\n+1 212 555 0162\n+1 212 555 0163\n");
        // Closed as earlier attempts left them: unanswered three times, busy, on the do-not-call list, a sale.
        try (var db = java.sql.DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
             var close = db.prepareStatement("update lead set status = 'DONE', attempts = 3, last_outcome = ?, "
                     + "closed_reason = ? where e164 = ?")) {
            String[][] closed = {{"NO_ANSWER", "+12125550160"}, {"BUSY", "+12125550161"},
                    {"DO_NOT_CALL", "+12125550162"}, {"INTERESTED", "+12125550163"}};
            for (String[] lead : closed) {
                close.setString(1, lead[0]);
                close.setString(2, "NO_ANSWER".equals(lead[0]) ? "NO_ANSWER: 3 of at most 3 attempts" : null);
                close.setString(3, lead[1]);
                close.executeUpdate();
            }
        }
        String path = "/api/campaigns/" + campaign + "/recycle";
        HttpResponse<String> refused = app.request("POST", path, "{\"statuses\":[\"NO_ANSWER\",\"DO_NOT_CALL\"]}",
                app.token("maria"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(JSON.readTree(refused.body()).path("refused").get(0).asString()).isEqualTo("DO_NOT_CALL");

        HttpResponse<String> recycled = app.request("POST", path, "{\"statuses\":[\"NO_ANSWER\"]}", app.token("maria"));
        assertThat(recycled.statusCode()).as(recycled.body()).isEqualTo(200);
        assertThat(JSON.readTree(recycled.body()).path("recycled").asInt()).isEqualTo(1);
        Map<String, JsonNode> byNumber = new java.util.HashMap<>();
        dialer.leads(campaign).valueStream().forEach(l -> byNumber.put(l.path("e164").asString(), l));
        assertThat(byNumber.get("+12125550160").path("status").asString()).isEqualTo("RETRY");
        assertThat(byNumber.get("+12125550160").path("attempts").asInt()).as("attempt count kept").isEqualTo(3);
        for (String stays : new String[]{"+12125550161", "+12125550162", "+12125550163"}) {
            assertThat(byNumber.get(stays).path("status").asString()).as(stays).isEqualTo("DONE");
        }
        try (var db = java.sql.DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
             var events = db.prepareStatement("select statuses::text, leads from lead_recycle_event where campaign_id = ?::uuid")) {
            events.setString(1, campaign);
            var rows = events.executeQuery();
            assertThat(rows.next()).as("the recycling is logged").isTrue();
            assertThat(rows.getString(1)).isEqualTo("{NO_ANSWER}");
            assertThat(rows.getInt(2)).isEqualTo(1);
            assertThat(rows.next()).as("the refused request logged nothing").isFalse();
        }

        // Switched on, the dialer calls the recycled lead, and only it: the others stay closed.
        dialer.enable(campaign);
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        assertThat(dial.to()).isEqualTo("+12125550160");
        telnyx.send(dial, "call.initiated", Map.of());
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "timeout"));
        dialer.awaitLeads(campaign, leads -> leads.valueStream().allMatch(l -> "DONE".equals(l.path("status").asString())));
        assertThat(dialer.leads(campaign).valueStream().mapToInt(l -> l.path("attempts").asInt()).sum())
                .as("one new attempt, for the recycled lead").isEqualTo(13);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void a_webhook_acknowledged_just_before_a_crash_is_applied_after_the_restart() throws Exception {
        String campaign = dialer.started("{\"name\":\"Crash\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0114\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        app.request("PUT", "/api/campaigns/" + campaign + "/enabled", "{\"enabled\":false}", app.token("maria"));
        telnyx.send(dial, "call.initiated", Map.of());
        TestApp.sleep(700);
        // Acknowledged, then the process dies before the inbox's hold is over.
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "user_busy"));
        app.close();

        app = TestApp.start(databaseUrl, asterisk, overrides);
        telnyx.webhooksTo(app);
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("BUSY");
        assertThat(dialer.lead(campaign).path("status").asString()).isEqualTo("RETRY");
    }

    // ------------------------------------------------------------------ helpers

    private static String agentState(String user) {
        return app.agentState(user);
    }

    private static void awaitAgentState(String user, String state) {
        app.awaitAgentState(user, state, SOON);
    }
}
