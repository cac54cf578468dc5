package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators' metrics after a real call: a carrier call to the demo number answered by an agent with audio both
 * ways, then {@code /actuator/prometheus} read with the scrape token must show that call's setup time, the ARI
 * requests that carried it, the events and lanes that ran it, and every gauge the Grafana dashboard uses.
 */
class MetricsIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final String SCRAPE_TOKEN = "metrics-it-scrape-token";

    private static TestApp app;
    private static CallRecords records;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get(),
                Map.of("callcenter.metrics.scrape-token", SCRAPE_TOKEN));
        records = new CallRecords(app);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void the_prometheus_endpoint_shows_a_real_call_and_every_dashboard_series() throws IOException {
        try (TestPhones phones = new TestPhones()) {
            SipPhone alice = phones.agent("1001", "127.0.0.3");
            // Registered is not yet reachable: a call before Asterisk's qualify answers goes to the announcement.
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
            TestPhones.Connected call = phones.carrierCallAnsweredBy(alice, SIGNAL);
            SipCall fromPstn = call.caller();
            SipCall atAgent = call.agent();
            fromPstn.playTone(440.0);
            assertThat(atAgent.awaitHearing(440.0, Duration.ofSeconds(5))).as("agent hears the caller").isTrue();

            String during = scrape();
            assertThat(value(during, "callcenter_calls_active", "direction=\"inbound\"")).isEqualTo(1);
            assertThat(value(during, "callcenter_calls_active", "direction=\"outbound\"")).isZero();
            assertThat(value(during, "callcenter_agents", "state=\"on_call\"")).isEqualTo(1);
            assertThat(value(during, "callcenter_agents", "state=\"available\"")).isZero();
            fromPstn.hangup();
            atAgent.awaitEnded(SIGNAL);
            records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        } finally {
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
        }

        String text = scrape();

        assertThat(value(text, "callcenter_call_setup_seconds_count", "direction=\"inbound\"")).isEqualTo(1);
        assertThat(value(text, "callcenter_call_setup_seconds_bucket", "direction=\"inbound\",le=\"+Inf\"")).isEqualTo(1);
        // The caller and the agent were both answered through ARI, and both channels' events reached the app.
        assertThat(value(text, "callcenter_ari_requests_seconds_count", "operation=\"POST /channels/{id}/answer\",outcome=\"204\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(text, "callcenter_ari_requests_seconds_count", "operation=\"POST /bridges/{id}/addChannel\",outcome=\"204\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(value(text, "callcenter_ari_event_lag_seconds_count", "")).isGreaterThanOrEqualTo(4);
        assertThat(value(text, "callcenter_call_lanes_wait_seconds_count", "")).isGreaterThanOrEqualTo(4);
        assertThat(value(text, "callcenter_call_lanes_queued", "")).isGreaterThanOrEqualTo(0);
        // The phones are gone: the agent is offline again, on no call.
        assertThat(value(text, "callcenter_agents", "state=\"on_call\"")).isZero();
        assertThat(value(text, "callcenter_agents", "state=\"offline\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "callcenter_webhooks_inbox_size", "")).isZero();
        assertThat(value(text, "callcenter_webhooks_inbox_lag_seconds", "")).isZero();
        assertThat(value(text, "callcenter_dialer_calls_in_flight", "")).isZero();
        assertThat(value(text, "callcenter_dialer_abandon_rate", "")).isZero();

        // The Grafana dashboard in the repository reads only series this endpoint serves.
        String dashboard = Files.readString(Path.of("../ops/grafana/callcenter.json"));
        Matcher series = Pattern.compile("(?:callcenter|jvm|process)_[a-z_]+").matcher(dashboard);
        int used = 0;
        while (series.find()) {
            used++;
            assertThat(text).as("series the dashboard uses").containsPattern("(?m)^" + series.group() + "[{ ]");
        }
        assertThat(used).isGreaterThanOrEqualTo(12);
    }

    @Test
    void without_a_token_or_with_a_wrong_one_metrics_are_refused() {
        assertThat(app.request("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        assertThat(app.request("GET", "/actuator/prometheus", null, "not-the-scrape-token").statusCode()).isEqualTo(401);
    }

    private static String scrape() {
        HttpResponse<String> scrape = app.request("GET", "/actuator/prometheus", null, SCRAPE_TOKEN);
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        return scrape.body();
    }

    /** The sample of a series whose labels contain {@code labels}; fails when there is none. */
    private static double value(String exposition, String name, String labels) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{.*})? (\\S+)$").matcher(exposition);
        while (sample.find()) {
            String found = sample.group(1) == null ? "" : sample.group(1);
            if (found.contains(labels)) {
                return Double.parseDouble(sample.group(2));
            }
        }
        throw new AssertionError("no sample of " + name + " with " + labels + " in:\n" + exposition.lines()
                .filter(line -> line.startsWith("callcenter_")).toList());
    }
}
