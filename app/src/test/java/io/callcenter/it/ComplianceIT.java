package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TSR's abandon accounting on the real system (the Telnyx stand-in, our Asterisk, a SIP agent phone): the clock
 * starts at the end of the person's greeting, an agent connected after 2 s leaves the call abandoned, the period
 * report proves it; a number in two campaigns is never rung twice at once; a preset the simulation shows illegal
 * needs the manager's confirmation.
 */
class ComplianceIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SOON = Duration.ofSeconds(8);

    private static TestApp app;
    private static FakeTelnyx telnyx;
    private static DialerRig rig;
    private static SipPhone alicePhone;
    private static SipPhone carrier;
    private final DialerCampaigns dialer = new DialerCampaigns(() -> app);
    private final HttpClient http = HttpClient.newHttpClient();

        @BeforeAll
    static void startSystem() throws Exception {
        rig = DialerRig.start(Map.of());
        app = rig.app();
        telnyx = rig.telnyx();
        alicePhone = rig.alicePhone();
        carrier = rig.phones().carrier();
    }

    @AfterAll
    static void stop() throws Exception {
        DialerRig.stop(rig);
    }

    @AfterEach
    void switchCampaignsOff() {
        rig.reset(dialer);
    }

    @Test
    void a_person_connected_two_and_a_half_seconds_after_the_greeting_is_recorded_abandoned() throws Exception {
        String campaign = campaign("Late agent", "1.5");
        FakeTelnyx.Dial dial = dialOne(campaign, "+1 212 555 0131");
        telnyx.send(dial, "call.initiated", Map.of());
        telnyx.send(dial, "call.answered", Map.of());
        // Microseconds, as PostgreSQL keeps them, so the recorded greeting end can be compared exactly.
        Instant verdict = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        telnyx.deliver(telnyx.event(dial, "call.machine.premium.detection.ended", verdict, Map.of("result", "human_residence")));
        telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));

        // The greeting ended the detection silence (800 ms) before the verdict; the carrier's transfer leg arrives
        // only 2.5 s after that, so the agent cannot be connected within the rule's 2 s.
        Instant greetingEnd = verdict.minusMillis(800);
        TestApp.sleep(Math.max(0, Duration.between(Instant.now(), greetingEnd.plusMillis(2_500)).toMillis()));
        dialer.connectHearAndHangUp(campaign, telnyx, dial, carrier, alicePhone);

        JsonNode report = dialer.get("/api/campaigns/" + campaign + "/compliance");
        assertThat(report.path("period").path("number").asInt()).isEqualTo(1);
        assertThat(report.path("period").path("answeredByPerson").asInt()).isEqualTo(1);
        assertThat(report.path("period").path("abandoned").asInt()).as("connected, but too late").isEqualTo(1);
        assertThat(report.path("period").path("withinLimit").asBoolean()).isFalse();
        assertThat(report.path("rolling").path("abandoned").asInt()).isEqualTo(1);
        JsonNode proof = report.path("abandoned").get(0);
        assertThat(proof.path("attemptId").asString()).isEqualTo(dial.attemptId().toString());
        assertThat(proof.path("greetingSilenceMillis").asInt()).isEqualTo(800);
        Instant recordedGreetingEnd = Instant.parse(proof.path("greetingEndedAt").asString());
        Instant deadline = Instant.parse(proof.path("deadline").asString());
        Instant connected = Instant.parse(proof.path("connectedAt").asString());
        assertThat(recordedGreetingEnd).as("greeting end = verdict - silence").isEqualTo(greetingEnd);
        assertThat(deadline).isEqualTo(recordedGreetingEnd.plusSeconds(2));
        assertThat(Duration.between(recordedGreetingEnd, connected)).isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        assertThat(proof.path("reason").asString()).contains("after the greeting");

        String csv = dialer.text("/api/campaigns/" + campaign + "/compliance.csv");
        assertThat(csv).contains("period,start,end,answered_by_person,abandoned,rate,within_3_percent")
                .contains(dial.attemptId().toString()).contains(",1,1,1.0000,false");
    }

    @Test
    void the_opt_out_key_during_the_safe_harbor_message_lists_the_number_and_closes_the_lead() throws Exception {
        String campaign = campaign("Opt out", "1.5");
        FakeTelnyx.Dial dial = dialOne(campaign, "+1 212 555 0133");
        // Alice is busy with something else: the person is abandoned and hears the message.
        java.util.UUID otherCall = java.util.UUID.randomUUID();
        io.callcenter.agent.AgentDirectory directory = app.bean(io.callcenter.agent.AgentDirectory.class);
        java.util.UUID alice = directory.byExtension("1001").orElseThrow().id();
        assertThat(directory.tryReserve(alice, otherCall)).isTrue();
        try {
            telnyx.send(dial, "call.answered", Map.of());
            telnyx.send(dial, "call.machine.premium.detection.ended", Map.of("result", "human_residence"));
            FakeTelnyx.Action speak = telnyx.awaitAction(dial.callControlId(), "speak", Duration.ofSeconds(5));
            assertThat(speak.body().path("payload").asString()).contains("Press 9");
            telnyx.send(dial, "call.dtmf.received", Map.of("digit", "9"));
            telnyx.send(dial, "call.speak.ended", Map.of("status", "completed"));
            telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));
            dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        } finally {
            directory.release(alice, otherCall);
        }
        JsonNode lead = dialer.get("/api/campaigns/" + campaign + "/leads").get(0);
        assertThat(lead.path("lastOutcome").asString()).isEqualTo("DO_NOT_CALL");
        assertThat(lead.path("status").asString()).as("never called again").isEqualTo("DONE");
        assertThat(dialer.text("/api/dnc?limit=100")).contains("+12125550133");
        JsonNode report = dialer.get("/api/campaigns/" + campaign + "/compliance");
        assertThat(report.path("period").path("abandoned").asInt()).as("the opt-out does not undo the abandon")
                .isEqualTo(1);
        assertThat(report.path("abandoned").get(0).path("safeHarborAt").isNull()).isFalse();
    }

    /**
     * The Asterisk path: the person reached our Asterisk, the agent's phone refused, so our Asterisk plays the
     * campaign's message; the key the message offers, sent as RFC 2833 by the person's phone, lists the number.
     */
    @Test
    void the_opt_out_key_on_our_asterisk_after_the_agent_phone_failed_lists_the_number() throws Exception {
        String campaign = campaign("Opt out on Asterisk", "1.5");
        FakeTelnyx.Dial dial = dialOne(campaign, "+1 212 555 0134");
        telnyx.send(dial, "call.answered", Map.of());
        telnyx.send(dial, "call.machine.premium.detection.ended", Map.of("result", "human_residence"));
        telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        SipCall person = carrier.call("attempt-" + dial.attemptId());
        alicePhone.awaitIncomingCall(Duration.ofSeconds(5)).reject(486);
        person.awaitAnswered(Duration.ofSeconds(5));
        TestApp.sleep(1000);
        assertThat(CallFlowsIT.rms(person.receivedAudio(Duration.ofMillis(1000)))).as("the message, never silence")
                .isGreaterThan(300);
        person.sendDtmf('9');
        Instant deadline = Instant.now().plus(SOON);
        while (!dialer.text("/api/dnc?limit=100").contains("+12125550134") && Instant.now().isBefore(deadline)) {
            TestApp.sleep(100);
        }
        assertThat(dialer.text("/api/dnc?limit=100")).contains("+12125550134");
        JsonNode call = JSON.readTree(app.request("GET", "/api/calls/" + dial.attemptId(), null, app.token("maria")).body());
        assertThat(call.path("events").toString()).contains("opted out");
        // The message ends, our Asterisk hangs the person up, and the carrier reports the end of its leg.
        person.awaitEnded(Duration.ofSeconds(30));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));
        dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        JsonNode lead = dialer.get("/api/campaigns/" + campaign + "/leads").get(0);
        assertThat(lead.path("lastOutcome").asString()).isEqualTo("DO_NOT_CALL");
        assertThat(lead.path("status").asString()).as("never called again").isEqualTo("DONE");
    }

    @Test
    void a_number_in_two_campaigns_is_never_rung_twice_at_once() throws Exception {
        String first = campaign("Twice A", "1.5");
        String second = campaign("Twice B", "1.5");
        dialer.importLeads(first, "phone\n+1 212 555 0132\n");
        dialer.importLeads(second, "phone\n+1 212 555 0132\n");
        enable(first);
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        assertThat(dial.to()).isEqualTo("+12125550132");
        enable(second);
        // Pacing looks every 200 ms: a second dial of the number would come well within this.
        assertThat(telnyx.pollDial(Duration.ofSeconds(2))).as("the number is being rung by the first campaign").isNull();

        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "no_answer"));
        FakeTelnyx.Dial next = telnyx.awaitDial(SOON);
        assertThat(next.to()).as("once the first attempt is over, the other campaign may call").isEqualTo("+12125550132");
        assertThat(next.attemptId()).isNotEqualTo(dial.attemptId());
        telnyx.send(next, "call.hangup", Map.of("hangup_cause", "no_answer"));
    }

    /** Our Asterisk could otherwise only play a stock prompt, without the seller's name or a call-back number. */
    @Test
    void a_campaign_without_its_recorded_safe_harbor_message_cannot_be_switched_on() throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", "Unrecorded").put("dialRatio", "1.5")
                .put("safeHarborMessage", DialerCampaigns.SAFE_HARBOR);
        body.putObject("callingHours").put("start", "00:00").put("end", "23:59");
        HttpResponse<String> created = app.request("POST", "/api/campaigns", JSON.writeValueAsString(body), app.token("maria"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String campaign = JSON.readTree(created.body()).path("campaign").path("id").asString();
        HttpResponse<String> refused = app.request("PUT", "/api/campaigns/" + campaign + "/enabled",
                "{\"enabled\":true,\"confirm\":true}", app.token("maria"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("type").asString()).endsWith("/safe-harbor-audio-missing");
        assertThat(dialer.get("/api/campaigns/" + campaign).path("campaign").path("enabled").asBoolean()).isFalse();

        DialerCampaigns.uploadSafeHarborRecording(app, campaign);
        HttpResponse<String> on = app.request("PUT", "/api/campaigns/" + campaign + "/enabled",
                "{\"enabled\":true,\"confirm\":true}", app.token("maria"));
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        app.request("PUT", "/api/campaigns/" + campaign + "/enabled", "{\"enabled\":false}", app.token("maria"));
    }

    @Test
    void a_preset_the_simulation_shows_illegal_needs_the_managers_confirmation() {
        String campaign = campaign("Warned", "3.0");
        HttpResponse<String> refused = app.request("PUT", "/api/campaigns/" + campaign + "/enabled", "{\"enabled\":true}",
                app.token("maria"));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("type").asString()).endsWith("/problems/simulated-abandon-risk");
        assertThat(problem.path("detail").asString()).contains("3.0").contains("confirm");
        assertThat(dialer.get("/api/campaigns/" + campaign).path("campaign").path("enabled").asBoolean()).isFalse();

        enable(campaign);
        JsonNode view = dialer.get("/api/campaigns/" + campaign);
        assertThat(view.path("campaign").path("enabled").asBoolean()).isTrue();
        assertThat(view.path("changes").valueStream().filter(c -> "enabled".equals(c.path("switchName").asString()))
                .reduce((a, b) -> b).orElseThrow().path("reason").asString()).contains("confirmed the simulation's warning");
        HttpResponse<String> adaptive = app.request("PUT", "/api/campaigns/" + campaign, "{\"dialRatio\":\"ADAPTIVE\"}",
                app.token("maria"));
        assertThat(adaptive.statusCode()).as(adaptive.body()).isEqualTo(200);
    }

    @Test
    void the_safe_harbor_message_must_name_the_seller_the_number_and_the_opt_out_and_its_audio_must_play_on_a_phone()
            throws Exception {
        ObjectNode incomplete = JSON.createObjectNode().put("name", "Silent seller").put("dialRatio", "ADAPTIVE")
                .put("safeHarborMessage", "Sorry we missed you.");
        HttpResponse<String> refused = app.request("POST", "/api/campaigns", JSON.writeValueAsString(incomplete),
                app.token("maria"));
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("type").asString()).endsWith("/problems/unlawful-safe-harbor-message");
        assertThat(problem.path("problems")).hasSize(3);

        String campaign = campaign("Recorded", "ADAPTIVE");
        HttpResponse<String> wrongRate = putAudio(campaign, silence(16000, 5));
        assertThat(wrongRate.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongRate.body()).path("detail").asString()).contains("8000 Hz");
        HttpResponse<String> stored = putAudio(campaign, silence(8000, 5));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(JSON.readTree(stored.body()).path("compliance").path("safeHarbor").path("audioAt").isNull()).isFalse();
        assertThat(JSON.readTree(stored.body()).path("compliance").path("safeHarbor").path("optOutDigit").asString())
                .isEqualTo("9");
    }

    // ------------------------------------------------------------------ helpers

    /** A mono 16-bit PCM WAV of silence. */
    private static byte[] silence(int rate, int seconds) {
        int data = rate * 2 * seconds;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(data);
        return b.array();
    }

    private HttpResponse<String> putAudio(String campaign, byte[] wav) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/campaigns/"
                        + campaign + "/safe-harbor-audio"))
                .header("Content-Type", "audio/wav")
                .header("Authorization", "Bearer " + app.token("maria"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(wav)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String campaign(String name, String ratio) {
        return dialer.create(JSON.createObjectNode().put("name", name).put("dialRatio", ratio).toString());
    }

    private void enable(String campaign) {
        dialer.enable(campaign);
    }

    /** The campaign's one lead, the campaign switched on, and its dial. */
    private FakeTelnyx.Dial dialOne(String campaign, String number) throws InterruptedException {
        dialer.importLeads(campaign, "phone\n" + number + "\n");
        enable(campaign);
        return telnyx.awaitDial(SOON);
    }

}
