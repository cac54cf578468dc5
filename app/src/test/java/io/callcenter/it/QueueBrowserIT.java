package io.callcenter.it;

import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.routing.RoutingService;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent page with a queue's caller (headless Chromium, the softphone over WebRTC): the caller presses 2 in the
 * team's menu, waits in the queue while bob is on break, and when bob becomes available the offer in his page shows
 * the queue, how long the caller waited and the key pressed; bob answers in the page.
 */
class QueueBrowserIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/queue-browser-it");

    private static TestApp app;
    private static CallRecords records;
    private static Path microphone;
    private final TestPhones phones = new TestPhones();
    private BrowserSoftphone browser;

    @BeforeAll
    static void startSystem() {
        microphone = ARTIFACTS.resolve("agent-440hz.wav");
        BrowserSoftphone.writeToneWav(microphone, 440.0, Duration.ofSeconds(10));
        app = TestApp.startTls(TestDatabase.get().newDatabase(), TestAsterisk.get(),
                Map.of("callcenter.demo.agent-phone", "webrtc"));
        records = new CallRecords(app);
        UUID team = app.bean(RoutingService.class).teamForNumber(TestApp.DEMO_DID).orElseThrow().id();
        QueueSettings queue = TestQueues.save(app, "Support", QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(20),
                Duration.ofSeconds(300), Duration.ZERO);
        HttpResponse<String> menu = app.request("POST", "/api/menus", """
                {"teamId":"%s","name":"Main","prompt":"sound:beep","choices":{"2":{"kind":"queue","target":"%s"}},
                 "timeoutSeconds":10,"maxTries":2,"onInvalid":{"kind":"announcement","target":"sound:ss-noservice"},
                 "onTimeout":{"kind":"announcement","target":"sound:ss-noservice"}}""".formatted(team, queue.id()),
                app.token("maria"));
        assertThat(menu.statusCode()).as(menu.body()).isEqualTo(201);
        HttpResponse<String> pointed = app.request("PUT", "/api/numbers/" + TestApp.DEMO_DID + "/destination",
                "{\"kind\":\"menu\",\"target\":\"" + JSON.readTree(menu.body()).path("id").asString() + "\"}",
                app.token("maria"));
        assertThat(pointed.statusCode()).as(pointed.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
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
    }

    @Test
    void the_offer_shows_the_queue_the_wait_and_the_menu_key_and_is_answered_in_the_page() {
        browser = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS.resolve("offer"));
        browser.run("login", SIGNAL, "username", "bob", "password", TestApp.USER_PASSWORD);
        browser.run("setAgentState", SIGNAL, "state", "BREAK");
        SipPhone carrier = phones.carrier();

        SipCall caller = carrier.call(TestApp.DEMO_DID);
        caller.awaitAnswered(SIGNAL);
        records.awaitLatestEvent("menu", "Main", SIGNAL);
        caller.sendDtmf('2');
        records.awaitLatestEvent("joined queue", "Support", SIGNAL);
        TestApp.sleep(2000);
        // Through the API, not the page's button: the page's step waits to show AVAILABLE, which lasts only until the
        // waiting caller is offered.
        HttpResponse<String> available = app.request("PUT", "/api/me/state", "{\"state\":\"AVAILABLE\"}", app.token("bob"));
        assertThat(available.statusCode()).as(available.body()).isEqualTo(200);

        browser.run("awaitIncoming", SIGNAL);
        JsonNode details = browser.run("awaitQueueDetails", SIGNAL);
        browser.run("screenshot", SIGNAL, "name", "queue-offer");
        var queueLine = java.util.regex.Pattern.compile("Queue Support · waited (\\d+):(\\d\\d)")
                .matcher(details.path("queue").asString());
        assertThat(queueLine.matches()).as("the queue and the caller's wait: " + details.path("queue")).isTrue();
        assertThat(Integer.parseInt(queueLine.group(1)) * 60 + Integer.parseInt(queueLine.group(2)))
                .as("the caller waited at least bob's 2 s of break").isGreaterThanOrEqualTo(2);
        assertThat(details.path("path").asString()).isEqualTo("Menu Main: 2");

        browser.run("answer", SIGNAL);
        caller.playTone(1100.0);
        assertThat(caller.awaitHearing(440.0, Duration.ofSeconds(10))).as("the caller hears bob's page").isTrue();
        caller.hangup();
        browser.run("awaitEnded", SIGNAL);
    }
}
