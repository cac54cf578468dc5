package io.callcenter.it;

import org.junit.jupiter.api.AfterAll;
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
 * Queues in headless Chromium: maria makes a queue on the console's Queues page and adds bob as a member at level 2,
 * and the queue is listed; bob then sees it under "My queues" in his agent page and logs out of it with its button.
 * Screenshots of both pages are left in app/target/queue-admin-browser-it/ to be looked at.
 */
class QueueAdminBrowserIT {

    private static final Duration SIGNAL = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/queue-admin-browser-it");
    private static final String QUEUE = "Front desk";

    private static TestApp app;
    private static BrowserSoftphone browser;

    @BeforeAll
    static void start() {
        Path microphone = ARTIFACTS.resolve("agent-440hz.wav");
        BrowserSoftphone.writeToneWav(microphone, 440.0, Duration.ofSeconds(2));
        app = TestApp.startTls(TestDatabase.get().newDatabase(), TestAsterisk.get(),
                Map.of("callcenter.demo.agent-phone", "webrtc"));
        browser = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_manager_makes_a_queue_with_a_member_and_the_agent_logs_out_of_it_in_the_agent_page() {
        JsonNode landed = browser.run("signIn", SIGNAL, "username", "maria", "password", TestApp.USER_PASSWORD);
        assertThat(landed.path("page").asString()).isEqualTo("console");

        JsonNode created = browser.run("createQueue", SIGNAL, "name", QUEUE, "strategy", "ring_all", "callback", true);
        assertThat(created.path("rows").toString()).contains(QUEUE, "Ring all", "whole team", "on");
        JsonNode added = browser.run("addQueueMember", SIGNAL, "extension", "1002", "level", 2);
        assertThat(added.path("members").toString()).contains("\"extension\":\"1002\"", "\"level\":\"2\"");
        assertThat(added.path("rows").get(0).get(2).asString()).as("members counted in the list").isEqualTo("1");
        browser.run("screenshotPage", SIGNAL, "hash", "#queues", "ready", "queue-members", "name", "console-queues",
                "dir", ARTIFACTS.toString());
        HttpResponse<String> saved = app.request("GET", "/api/queues", null, app.token("maria"));
        JsonNode queue = JSON.readTree(saved.body()).get(0);
        assertThat(queue.path("name").asString()).isEqualTo(QUEUE);
        assertThat(queue.path("strategy").asString()).isEqualTo("ring_all");
        assertThat(queue.path("callbackEnabled").asBoolean()).isTrue();

        browser.run("signOut", SIGNAL);
        browser.run("login", SIGNAL, "username", "bob", "password", TestApp.USER_PASSWORD);
        JsonNode mine = browser.run("myQueues", SIGNAL, "name", QUEUE);
        assertThat(mine.toString()).isEqualTo("[{\"name\":\"" + QUEUE + "\",\"loggedIn\":true}]");
        JsonNode toggled = browser.run("toggleQueue", SIGNAL, "name", QUEUE);
        assertThat(toggled.toString()).isEqualTo("[{\"name\":\"" + QUEUE + "\",\"loggedIn\":false}]");
        browser.run("screenshot", SIGNAL, "name", "agent-my-queues");
        HttpResponse<String> membership = app.request("GET", "/api/me/queues", null, app.token("bob"));
        assertThat(JSON.readTree(membership.body()).get(0).path("loggedIn").asBoolean()).as("saved on the server").isFalse();
    }
}
