package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call whose recording failed is visible, never silent: the team records its calls, the recordings store is
 * read-only to Asterisk (a real fault, in Asterisk's own mount namespace), and the call goes on unrecorded. alice's
 * softphone (headless Chromium, WebRTC) shows "NOT recorded" on the call and marks it in her history; maria's console
 * shows it on alice's row of the wallboard. Screenshots are left in app/target/unrecorded-it/ to be looked at.
 */
class UnrecordedCallBrowserIT {

    private static final Duration SIGNAL = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/unrecorded-it");

    private static TestApp app;
    private static BrowserSoftphone agentPage;
    private static BrowserSoftphone consolePage;

    @BeforeAll
    static void start() {
        Path microphone = ARTIFACTS.resolve("agent-440hz.wav");
        BrowserSoftphone.writeToneWav(microphone, 440.0, Duration.ofSeconds(2));
        app = TestApp.startTls(TestDatabase.get().newDatabase(), TestAsterisk.get(),
                Map.of("callcenter.demo.agent-phone", "webrtc", "callcenter.demo.wrap-up", "0s"));
        agentPage = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS.resolve("agent"));
        consolePage = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS.resolve("console"));
    }

    @AfterAll
    static void stop() {
        TestAsterisk.get().recordingsStoreReadOnly(false);
        for (BrowserSoftphone page : new BrowserSoftphone[] {agentPage, consolePage}) {
            if (page != null) {
                page.close();
            }
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void the_agent_and_the_supervisor_see_a_call_whose_recording_failed_as_not_recorded_and_the_history_marks_it() {
        String admin = app.token("admin");
        String team = null;
        for (JsonNode row : JSON.readTree(app.request("GET", "/api/admin/teams", null, admin).body())) {
            if ("Psychology".equals(row.path("name").asString())) {
                team = row.path("id").asString();
            }
        }
        assertThat(app.request("PUT", "/api/admin/teams/" + team + "/recording", "{\"record\":true}", admin).statusCode())
                .isEqualTo(200);
        agentPage.run("login", SIGNAL, "username", "alice", "password", TestApp.USER_PASSWORD);
        agentPage.run("setAgentState", SIGNAL, "state", "AVAILABLE");
        assertThat(consolePage.run("signIn", SIGNAL, "username", "maria", "password", TestApp.USER_PASSWORD)
                .path("page").asString()).isEqualTo("console");

        TestAsterisk.get().recordingsStoreReadOnly(true);
        try (TestPhones phones = new TestPhones()) {
            SipPhone carrier = phones.carrier();
            SipCall fromPstn = carrier.call(TestApp.DEMO_DID);
            agentPage.run("awaitIncoming", SIGNAL);
            agentPage.run("answer", SIGNAL);
            fromPstn.awaitAnswered(SIGNAL);

            JsonNode shown = agentPage.run("awaitRecordingIndicator", SIGNAL, "state", "failed");
            assertThat(shown.path("indicator").asString()).contains("NOT recorded");
            assertThat(shown.path("toggleDisabled").asBoolean()).as("nothing to pause").isTrue();
            assertThat(shown.path("toggleVisible").asBoolean()).as("nothing to pause").isFalse();
            agentPage.run("screenshot", SIGNAL, "name", "softphone-call-not-recorded");

            JsonNode board = consolePage.run("awaitWallboardAgent", SIGNAL, "extension", "1001", "state", "ON_CALL");
            // The board is pushed on every change of the call: wait for the one that carries the failure.
            for (int i = 0; i < 20 && !board.path("agent").path("call").path("recordingFailed").asBoolean(); i++) {
                TestApp.sleep(250);
                board = consolePage.run("awaitWallboardAgent", SIGNAL, "extension", "1001", "state", "ON_CALL");
            }
            assertThat(board.path("agent").path("call").path("recordingFailed").asBoolean()).isTrue();
            assertThat(board.path("shown").path("call").asString()).contains(TestPhones.CARRIER_CALLER, "NOT recorded");
            consolePage.run("screenshot", SIGNAL, "name", "console-call-not-recorded");

            String callId = JSON.readTree(app.get("/api/calls?limit=1").body()).path("items").get(0).path("id").asString();
            fromPstn.hangup();
            JsonNode call = new CallRecords(app).awaitCall(callId, "admin", CallRecords::ended, SIGNAL, "ENDED");
            assertThat(call.path("recordingFailed").asBoolean()).isTrue();
            // What Asterisk said of it: the recording ended ("finished", with no file, or "failed") while the call
            // still talked, before anyone left.
            java.util.List<String> events = ConferenceRecordingIT.events(call);
            int ended = events.indexOf(events.stream().filter(e -> e.startsWith("recording f")).findFirst().orElseThrow());
            assertThat(ended).isLessThan(events.indexOf("party left")).isGreaterThan(events.indexOf("recording started"));

            JsonNode history = agentPage.run("history", SIGNAL, "callId", callId);
            JsonNode row = null;
            for (JsonNode candidate : history.path("rows")) {
                if (callId.equals(candidate.path("callId").asString())) {
                    row = candidate;
                }
            }
            assertThat(row).isNotNull();
            assertThat(row.path("unrecorded").asString()).contains("Not recorded");
            agentPage.run("screenshot", SIGNAL, "name", "softphone-history-not-recorded");
        } finally {
            TestAsterisk.get().recordingsStoreReadOnly(false);
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE);
        }

        // The store writable again, the next call is recorded and shows so: the mark was this call's, not the team's.
        try (TestPhones phones = new TestPhones()) {
            SipCall fromPstn = phones.carrier().call(TestApp.DEMO_DID);
            agentPage.run("awaitIncoming", SIGNAL);
            agentPage.run("answer", SIGNAL);
            fromPstn.awaitAnswered(SIGNAL);
            assertThat(agentPage.run("awaitRecordingIndicator", SIGNAL, "state", "on").path("indicator").asString())
                    .contains("Recording");
            fromPstn.hangup();
        } finally {
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE);
        }
    }
}
