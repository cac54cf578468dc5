package io.callcenter.it;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.dialer.telnyx.TelnyxClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dialer against Telnyx as it really behaves (the reference's corrections): a failed transfer shows only as a
 * hangup of the transfer's new leg; a revoked API key is refused with 401 and code 10009; rate limits come as 429
 * with x-ratelimit-* headers; detect_beep reports the end of a greeting only when it hears a beep. Alice's phone
 * is registered, so she is the team's one available agent.
 */
class DialerTelnyxConformanceIT {

    private static final Duration SOON = Duration.ofSeconds(8);
    private static final String SAFE_HARBOR = DialerCampaigns.SAFE_HARBOR;

    private static TestApp app;
    private static FakeTelnyx telnyx;
    private static DialerRig rig;
    private final DialerCampaigns dialer = new DialerCampaigns(() -> app);

        @BeforeAll
    static void startSystem() throws Exception {
        rig = DialerRig.start(Map.of("callcenter.dialer.greeting-timeout", "3s"));
        app = rig.app();
        telnyx = rig.telnyx();
        assertThat(app.bean(AgentDirectory.class).byExtension("1001")).isPresent();
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
    void a_failed_transfer_frees_the_agent_and_the_person_hears_the_safe_harbor_message() throws Exception {
        String campaign = dialer.started("{\"name\":\"FailedTransfer\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0201\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        telnyx.answeredBy(dial, "human_residence");
        FakeTelnyx.Action transfer = telnyx.awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        assertThat(TelnyxClient.attemptIdOf(transfer.body().path("target_leg_client_state").asString()))
                .as("the new leg carries the attempt").isEqualTo(dial.attemptId());
        assertThat(app.agentState("alice")).isEqualTo("ON_CALL");

        // Telnyx could not reach our Asterisk: the new leg hangs up, the person's leg stays up.
        FakeTelnyx.Dial newLeg = telnyx.newLeg(dial, transfer);
        telnyx.send(newLeg, "call.initiated", Map.of("direction", "outgoing"));
        telnyx.send(newLeg, "call.hangup", Map.of("hangup_cause", "not_found", "sip_hangup_cause", "404"));

        FakeTelnyx.Action speak = telnyx.awaitAction(dial.callControlId(), "speak", SOON);
        assertThat(speak.body().path("payload").asString()).isEqualTo(SAFE_HARBOR);
        app.awaitAgentState("alice", "AVAILABLE", SOON);
        telnyx.send(dial, "call.speak.started", Map.of());
        telnyx.send(dial, "call.speak.ended", Map.of("status", "completed"));
        telnyx.awaitAction(dial.callControlId(), "hangup", SOON);
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "caller"));
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("ABANDONED");
        assertThat(DialerCampaigns.states(attempt)).containsSubsequence("HUMAN", "TRANSFERRING", "SAFE_HARBOR", "HANGING_UP", "ENDED");
        assertThat(telnyx.actions(newLeg.callControlId())).as("nothing sent to the dead leg").isEmpty();
        assertThat(dialer.get("/api/campaigns/" + campaign + "/stats").path("abandons").asInt()).isEqualTo(1);
    }

    @Test
    void a_revoked_api_key_pauses_the_campaign_and_leaves_the_leads_as_they_were() {
        telnyx.acceptedApiKey = "a-key-we-do-not-have";
        int before = telnyx.requests.get();
        String campaign;
        try {
            campaign = dialer.started("{\"name\":\"BadKey\",\"dialRatio\":\"1.5\"}",
                    "phone\n+1 212 555 0202\n+1 212 555 0203\n");
            JsonNode paused = dialer.awaitCampaign(campaign, c -> c.path("campaign").path("paused").asBoolean()
                    && c.path("campaign").path("pausedReason").asString("").contains("10009"));
            assertThat(paused.path("campaign").path("pausedReason").asString()).contains("401");
            TestApp.sleep(1000);
            assertThat(telnyx.requests.get() - before).as("a refusal is not retried, and a paused campaign dials no more")
                    .isBetween(1, 2);
            for (JsonNode lead : dialer.leads(campaign)) {
                assertThat(lead.path("status").asString()).isEqualTo("NEW");
                assertThat(lead.path("attempts").asInt()).isZero();
                JsonNode view = dialer.get("/api/campaigns/" + campaign + "/leads/" + lead.path("id").asString());
                assertThat(view.path("attempts")).as("no attempt recorded").isEmpty();
            }
            assertThat(app.agentState("alice")).as("agents working do not lift the carrier's pause").isEqualTo("AVAILABLE");
        } finally {
            telnyx.acceptedApiKey = "test-api-key";
        }
        // The key is put right; switching the campaign on again resumes dialling.
        app.request("PUT", "/api/campaigns/" + campaign + "/enabled", "{\"enabled\":false}", app.token("maria"));
        dialer.enable(campaign);
        FakeTelnyx.Dial dial = awaitDial();
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "timeout"));
        FakeTelnyx.Dial second = awaitDial();
        telnyx.send(second, "call.hangup", Map.of("hangup_cause", "timeout"));
    }

    @Test
    void a_rate_limit_storm_costs_no_lead_an_attempt() {
        telnyx.rateLimitNext.set(6);
        int limitedBefore = telnyx.rateLimited.get();
        String campaign = dialer.started("{\"name\":\"RateLimited\",\"dialRatio\":\"1.5\"}",
                "phone\n+1 212 555 0204\n");
        FakeTelnyx.Dial dial = awaitDial();
        assertThat(telnyx.rateLimited.get() - limitedBefore).as("every 429 was sent, each waited out").isEqualTo(6);
        JsonNode lead = dialer.lead(campaign);
        assertThat(lead.path("attempts").asInt()).as("only the dial that went through counts").isEqualTo(1);
        JsonNode view = dialer.get("/api/campaigns/" + campaign + "/leads/" + lead.path("id").asString());
        assertThat(view.path("attempts")).hasSize(1);
        assertThat(view.path("attempts").get(0).path("attempt").path("id").asString()).isEqualTo(dial.attemptId().toString());
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "timeout"));
        dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
    }

    @Test
    void a_machine_without_a_beep_event_gets_the_message_once_the_greeting_timeout_is_over() throws Exception {
        String campaign = dialer.started("{\"name\":\"NoBeep\",\"dialRatio\":\"1.5\",\"amdMode\":\"detect_beep\","
                + "\"voicemail\":{\"policy\":\"leave_message\",\"message\":\"Hello, this is Psychology, please call 555 0100\"}}",
                "phone\n+1 212 555 0205\n");
        FakeTelnyx.Dial dial = telnyx.awaitDial(SOON);
        assertThat(dial.amd()).isEqualTo("detect_beep");
        telnyx.send(dial, "call.answered", Map.of());
        telnyx.send(dial, "call.machine.detection.ended", Map.of("result", "machine"));
        // detect_beep sends call.machine.greeting.ended only for a beep; this machine never beeps.
        FakeTelnyx.Action speak = telnyx.awaitAction(dial.callControlId(), "speak", SOON);
        assertThat(speak.body().path("payload").asString()).isEqualTo("Hello, this is Psychology, please call 555 0100");
        telnyx.send(dial, "call.speak.ended", Map.of("status", "completed"));
        telnyx.awaitAction(dial.callControlId(), "hangup", Duration.ofSeconds(3));
        telnyx.send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing"));
        JsonNode attempt = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("VOICEMAIL");
        assertThat(attempt.path("events").valueStream().map(e -> e.path("event").asString()))
                .as("the timeout, not a beep, started the message").contains("no greeting end");
    }

    private static FakeTelnyx.Dial awaitDial() {
        try {
            return telnyx.awaitDial(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
