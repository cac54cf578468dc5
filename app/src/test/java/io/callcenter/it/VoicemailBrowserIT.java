package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's page and voicemail, in headless Chromium: a caller leaves a message (their tone) in the team's box,
 * the page lists it as new without a reload (the server's push), the agent plays it in the page (the audio it plays
 * carries the caller's tone), it is marked heard, and the agent deletes it.
 */
class VoicemailBrowserIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final double CALLER_TONE = 440.0;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/voicemail-browser-it");

    private static TestApp app;
    private static Path microphone;
    private final TestPhones phones = new TestPhones();
    private BrowserSoftphone browser;

    @BeforeAll
    static void startSystem() {
        microphone = ARTIFACTS.resolve("agent-600hz.wav");
        BrowserSoftphone.writeToneWav(microphone, 600.0, Duration.ofSeconds(10));
        app = TestApp.startTls(TestDatabase.get().newDatabase(), TestAsterisk.get(), Map.of("callcenter.demo.agent-phone", "webrtc"));
        HttpResponse<String> created = app.request("POST", "/api/voicemail/boxes", "{\"name\":\"Psychology\",\"greeting\":\"sound:silence/1\"}", app.token("maria"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String box = JSON.readTree(created.body()).path("id").asString();
        HttpResponse<String> pointed = app.request("PUT", "/api/numbers/" + TestApp.DEMO_DID + "/destination",
                "{\"kind\":\"voicemail\",\"target\":\"" + box + "\"}", app.token("maria"));
        assertThat(pointed.statusCode()).as(pointed.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void closeBrowserAndPhones() {
        if (browser != null) {
            browser.close();
        }
        phones.close();
        TestAsterisk.get().awaitIdle(TestPhones.SETTLE);
    }

    @Test
    void the_agent_sees_a_new_message_arrive_plays_it_in_the_page_and_deletes_it() {
        browser = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS);
        browser.run("login", SIGNAL, "username", "alice", "password", TestApp.USER_PASSWORD);

        SipCall caller = phones.carrier().call(TestApp.DEMO_DID);
        caller.awaitAnswered(SIGNAL);
        assertThat(caller.awaitHearing(VoicemailIT.BEEP, SIGNAL)).as("the beep after a second of silence").isTrue();
        caller.playTone(CALLER_TONE);
        pause(Duration.ofSeconds(3));
        caller.hangup();

        JsonNode arrived = browser.run("awaitVoicemail", SIGNAL, "count", 1);
        assertThat(arrived.path("rows").get(0).path("fresh").asBoolean()).as(arrived.toString()).isTrue();
        assertThat(arrived.path("rows").get(0).path("text").asString()).contains(TestPhones.CARRIER_CALLER);
        assertThat(arrived.path("newBadge").asString()).isEqualTo("1 new");
        browser.run("screenshot", SIGNAL, "name", "voicemail-new");

        JsonNode played = browser.run("playVoicemail", SIGNAL, "frequency", CALLER_TONE);
        assertThat(played.path("paused").asBoolean()).as(played.toString()).isFalse();
        assertThat(played.path("seconds").asDouble()).as(played.toString()).isBetween(2.0, 6.0);
        assertThat(played.path("toneLevel").asDouble()).as("the caller's tone in what the page plays: " + played)
                .isGreaterThan(10 * played.path("offLevel").asDouble());
        JsonNode heard = browser.run("awaitVoicemailHeard", SIGNAL);
        assertThat(heard.path("rows").get(0).path("fresh").asBoolean()).isFalse();
        browser.run("screenshot", SIGNAL, "name", "voicemail-playing");

        JsonNode deleted = browser.run("deleteVoicemail", SIGNAL);
        assertThat(deleted.path("messages").asInt()).isZero();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
