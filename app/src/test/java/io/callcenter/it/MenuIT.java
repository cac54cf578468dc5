package io.callcenter.it;

import io.callcenter.call.queue.QueueRepository;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Voice menus on real Asterisk with RFC 4733 (2833) DTMF from the caller: two levels of menu into the team's queue
 * and on to an agent; a wrong key twice and silence twice take the menu's configured paths. Every key is in the
 * call's event log.
 */
class MenuIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final String INVALID_SOUND = "sound:ss-noservice";
    private static final String SILENT_SOUND = "sound:vm-nobodyavail";

    private static TestApp app;
    private static CallRecords records;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        records = new CallRecords(app);
        UUID team = app.bean(RoutingService.class).teamForNumber(TestApp.DEMO_DID).orElseThrow().id();
        QueueSettings queue = new QueueSettings(UUID.randomUUID(), team, "Support", QueueStrategy.LONGEST_IDLE,
                Duration.ofSeconds(15), Duration.ofSeconds(120), Duration.ZERO, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), 0, null);
        app.bean(QueueRepository.class).save(queue);
        String sub = create(menu(team, "Sub", "{\"2\":{\"kind\":\"queue\",\"target\":\"" + queue.id() + "\"}}"));
        String main = create(menu(team, "Main", "{\"1\":{\"kind\":\"menu\",\"target\":\"" + sub + "\"}}"));
        HttpResponse<String> pointed = app.request("PUT", "/api/numbers/" + TestApp.DEMO_DID + "/destination",
                "{\"kind\":\"menu\",\"target\":\"" + main + "\"}", app.token("maria"));
        assertThat(pointed.statusCode()).as(pointed.body()).isEqualTo(200);
    }

    private static String menu(UUID team, String name, String choices) {
        return """
                {"teamId":"%s","name":"%s","prompt":"sound:beep","choices":%s,"timeoutSeconds":2,"maxTries":2,
                 "onInvalid":{"kind":"announcement","target":"%s"},"onTimeout":{"kind":"announcement","target":"%s"}}"""
                .formatted(team, name, choices, INVALID_SOUND, SILENT_SOUND);
    }

    private static String create(String body) {
        HttpResponse<String> response = app.request("POST", "/api/menus", body, app.token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("id").asString();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void closePhones() {
        phones.close();
        TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
    }

    @Test
    void keys_through_two_menus_reach_an_agent_through_the_queue() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        SipPhone carrier = phones.carrier();

        SipCall caller = carrier.call(TestApp.DEMO_DID);
        caller.awaitAnswered(SIGNAL);
        awaitEvent("menu", "Main");
        caller.sendDtmf('1');
        awaitEvent("menu", "Sub");
        caller.sendDtmf('2');
        SipCall atAlice = alice.awaitIncomingCall(SIGNAL);
        atAlice.answer();
        caller.playTone(440.0);
        atAlice.playTone(1100.0);
        assertThat(atAlice.awaitHearing(440.0, Duration.ofSeconds(5))).as("alice hears the caller").isTrue();
        assertThat(caller.awaitHearing(1100.0, Duration.ofSeconds(5))).as("the caller hears alice").isTrue();
        caller.hangup();
        atAlice.awaitEnded(SIGNAL);

        JsonNode call = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(details(call)).contains("Main: 1", "Sub: 2");
        assertThat(call.path("agentId").isNull()).isFalse();
    }

    @Test
    void a_wrong_key_twice_and_silence_twice_take_the_configured_paths() {
        SipPhone carrier = phones.carrier();

        SipCall wrong = carrier.call(TestApp.DEMO_DID);
        wrong.awaitAnswered(SIGNAL);
        awaitEvent("menu", "Main");
        wrong.sendDtmf('9');
        awaitEvent("menu key", "Main: 9 (invalid)");
        wrong.sendDtmf('9');
        wrong.awaitEnded(Duration.ofSeconds(20));
        JsonNode invalid = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(details(invalid)).contains("Main: invalid 2 times -> announcement " + INVALID_SOUND);

        SipCall silent = carrier.call(TestApp.DEMO_DID);
        silent.awaitAnswered(SIGNAL);
        silent.awaitEnded(Duration.ofSeconds(30));
        JsonNode timedOut = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED");
        assertThat(details(timedOut)).contains("Main: no key in 2 s", "Main: timeout 2 times -> announcement " + SILENT_SOUND);
    }

    /** Waits until the newest call's log has the event with the detail (the menu is listening by then). */
    private static void awaitEvent(String event, String detail) {
        records.awaitLatestEvent(event, detail, SIGNAL);
    }

    private static List<String> details(JsonNode call) {
        List<String> details = new ArrayList<>();
        call.path("events").forEach(row -> details.add(row.path("detail").asString()));
        return details;
    }
}
