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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission control on the real Asterisk with a limit of one call per node: the first call from the carrier talks
 * with audio both ways while a second one is refused unanswered with 503 at the carrier (which can fail over), an
 * agent's click to dial gets problem+json 503 with Retry-After, and the refusals are counted for Prometheus.
 */
class AdmissionIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCRAPE_TOKEN = "admission-it-scrape-token";
    private static final double CALLER_TONE = 440.0;
    private static final double CALLEE_TONE = 1100.0;

    private static TestApp app;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get(),
                Map.of("callcenter.admission.max-calls-per-node", "1", "callcenter.metrics.scrape-token", SCRAPE_TOKEN,
                        "callcenter.demo.wrap-up", "0s"));
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void over_the_limit_the_carrier_gets_503_and_a_click_503_while_the_call_in_progress_keeps_its_audio() {
        CallRecords records = new CallRecords(app);
        try (TestPhones phones = new TestPhones()) {
            SipPhone alice = phones.agent("1001", "127.0.0.3");
            // Registered is not yet reachable: a call before Asterisk's qualify answers goes to the announcement.
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
            TestPhones.Connected connected = phones.carrierCallAnsweredBy(alice, SIGNAL);
            SipCall first = connected.caller();
            SipCall atAlice = connected.agent();
            SipPhone carrier = first.phone();
            first.playTone(CALLER_TONE);
            atAlice.playTone(CALLEE_TONE);
            assertThat(atAlice.awaitHearing(CALLER_TONE, SIGNAL)).as("alice hears the first caller").isTrue();
            assertThat(first.awaitHearing(CALLEE_TONE, SIGNAL)).as("the first caller hears alice").isTrue();

            SipCall second = carrier.call(TestApp.DEMO_DID);
            second.awaitEnded(SIGNAL);
            assertThat(second.answeredAt()).as("never answered").isNull();
            assertThat(second.finalStatus()).as("Service Unavailable: the carrier may try another route").isEqualTo(503);
            JsonNode refused = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
            assertThat(refused.path("hangupCause").asString()).isEqualTo("over_capacity");
            assertThat(refused.path("answeredAt").isNull()).isTrue();
            assertThat(ConferenceRecordingIT.events(refused)).contains("admission refused");

            // bob clicks to dial while the one call the node may carry is in progress.
            HttpResponse<String> click = app.request("POST", "/api/calls", "{\"number\":\"+12125550123\"}", app.token("bob"));
            assertThat(click.statusCode()).as(click.body()).isEqualTo(503);
            assertThat(click.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(click.headers().firstValue("Retry-After")).hasValue("5");
            JsonNode problem = JSON.readTree(click.body());
            assertThat(problem.path("type").asString()).endsWith("/over-capacity");
            assertThat(problem.path("reason").asString()).isEqualTo("calls-at-limit");

            // The call in progress was untouched by all this: still both ways.
            assertThat(atAlice.awaitHearing(CALLER_TONE, SIGNAL)).as("alice still hears the caller").isTrue();
            assertThat(first.awaitHearing(CALLEE_TONE, SIGNAL)).as("the caller still hears alice").isTrue();
            String firstId = JSON.readTree(app.get("/api/calls?limit=2").body()).path("items").get(1).path("id").asString();
            first.hangup();
            atAlice.awaitEnded(SIGNAL);
            records.awaitCall(firstId, "admin", CallRecords::ended, SIGNAL, "the first call ENDED");
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);

            String metrics = scrape();
            assertThat(value(metrics, "entry=\"inbound\",reason=\"calls-at-limit\"")).isEqualTo(1);
            assertThat(value(metrics, "entry=\"click\",reason=\"calls-at-limit\"")).isEqualTo(1);
            assertThat(value(metrics, "entry=\"dialer\",reason=\"asterisk-errors\"")).isZero();

            // The call over, the next one is admitted again at once (the count is exact, no cool-down).
            SipCall third = carrier.call(TestApp.DEMO_DID);
            SipCall again = alice.awaitIncomingCall(SIGNAL);
            again.answer();
            third.awaitAnswered(SIGNAL);
            third.hangup();
            again.awaitEnded(SIGNAL);
        } finally {
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
        }
    }

    private static String scrape() {
        HttpResponse<String> scrape = app.request("GET", "/actuator/prometheus", null, SCRAPE_TOKEN);
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        return scrape.body();
    }

    private static double value(String exposition, String labels) {
        Matcher sample = Pattern.compile("(?m)^callcenter_calls_refused_total\\{(.*)} (\\S+)$").matcher(exposition);
        while (sample.find()) {
            if (sample.group(1).contains(labels)) {
                return Double.parseDouble(sample.group(2));
            }
        }
        throw new AssertionError("no callcenter_calls_refused_total with " + labels);
    }
}
