package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in headless Chromium: where each role lands after the one sign-in form, and the team's wallboard
 * following a real call (the stand-in carrier calls the team's number, bob's SIP phone answers) without a reload.
 */
class ConsoleBrowserIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/console-it");

    private static TestAsterisk asterisk;
    private static TestApp app;
    private static Path microphone;
    private final TestPhones phones = new TestPhones();
    private BrowserSoftphone browser;

    @BeforeAll
    static void startSystem() {
        microphone = ARTIFACTS.resolve("silence-440hz.wav");
        BrowserSoftphone.writeToneWav(microphone, 440.0, Duration.ofSeconds(2));
        asterisk = TestAsterisk.get();
        // Demo agents on SIP phones (the test's), no wrap-up: the console is the only browser here.
        app = TestApp.start(TestDatabase.get().newDatabase(), asterisk, Map.of());
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
        asterisk.awaitIdle(TestPhones.SETTLE);
    }

    private BrowserSoftphone openBrowser(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        browser = BrowserSoftphone.start("http://127.0.0.1:" + app.port() + "/", microphone, ARTIFACTS.resolve(name));
        return browser;
    }

    private JsonNode signIn(BrowserSoftphone page, String username) {
        return page.run("signIn", SIGNAL, "username", username, "password", TestApp.USER_PASSWORD);
    }

    @Test
    void a_manager_lands_on_the_console_and_sees_a_caller_reach_an_agent_without_reloading(TestInfo test) {
        var campaign = app.request("POST", "/api/campaigns", """
                {"name":"Spring renewals","safeHarborMessage":"Sorry we missed you, Psychology practice, 555 0100."}""",
                app.token("maria"));
        assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(201);
        BrowserSoftphone page = openBrowser(test);
        JsonNode landed = signIn(page, "maria");
        assertThat(landed.path("page").asString()).isEqualTo("console");
        assertThat(landed.path("path").asString()).isEqualTo("/console/");
        assertThat(landed.path("visible").path("tiles").asBoolean()).isTrue();
        assertThat(landed.path("visible").path("dial-panel").asBoolean()).as("no dialpad on the console").isFalse();
        assertThat(landed.path("visible").path("team-select").asBoolean()).as("a manager watches one team").isFalse();

        // bob, not alice: another test signs alice in on the softphone, which rotates her SIP password.
        SipPhone bob = phones.agent("1002", "127.0.0.4");
        page.run("awaitWallboardAgent", SIGNAL, "extension", "1002", "state", "AVAILABLE");

        SipPhone carrier = phones.carrier();
        SipCall fromPstn = carrier.call(TestApp.DEMO_DID);
        SipCall atAgent = bob.awaitIncomingCall(SIGNAL);
        atAgent.ringing();
        atAgent.answer();
        long answeredAt = System.currentTimeMillis();
        fromPstn.awaitAnswered(SIGNAL);

        JsonNode onCall = page.run("awaitWallboardAgent", SIGNAL, "extension", "1002", "state", "ON_CALL");
        // Not an assertion (machines differ): the figure BENCHMARKS.md and the report quote.
        System.out.println("ConsoleBrowserIT: agent answered -> on the wallboard after "
                + (onCall.path("seenAt").asLong() - answeredAt) + " ms");
        assertThat(onCall.path("agent").path("call").path("direction").asString()).isEqualTo("inbound");
        assertThat(onCall.path("agent").path("call").path("party").asString()).isEqualTo(TestPhones.CARRIER_CALLER);
        assertThat(onCall.path("shown").path("state").asString()).isEqualTo("On a call");
        assertThat(onCall.path("shown").path("call").asString()).contains(TestPhones.CARRIER_CALLER);
        assertThat(onCall.path("team").path("callsInProgress").asInt()).isEqualTo(1);
        assertThat(onCall.path("team").path("onCall").asInt()).isEqualTo(1);
        JsonNode shownCampaign = onCall.path("campaigns").get(0);
        assertThat(shownCampaign.path("name").asString()).isEqualTo("Spring renewals");
        assertThat(shownCampaign.path("enabled").asBoolean()).as("a new campaign waits for its manager's switch").isFalse();
        page.run("screenshot", SIGNAL, "name", "console-agent-on-call");

        fromPstn.hangup();
        atAgent.awaitEnded(SIGNAL);
        JsonNode after = page.run("awaitWallboardAgent", SIGNAL, "extension", "1002", "state", "AVAILABLE");
        assertThat(after.path("agent").path("call").isNull()).as("no call once it ended").isTrue();
        assertThat(after.path("agent").path("callsToday").asInt()).isEqualTo(1);
        assertThat(after.path("team").path("answeredToday").asInt()).isEqualTo(1);
        assertThat(after.path("team").path("callsInProgress").asInt()).isZero();
        page.run("screenshot", SIGNAL, "name", "console-after-call");
    }

    @Test
    void an_administrator_lands_on_the_console_and_may_pick_any_team(TestInfo test) {
        BrowserSoftphone page = openBrowser(test);
        JsonNode landed = signIn(page, "admin");
        assertThat(landed.path("page").asString()).isEqualTo("console");
        assertThat(landed.path("visible").path("team-select").asBoolean()).as("%s", landed).isTrue();
        page.run("screenshot", SIGNAL, "name", "admin-console");
    }

    @Test
    void an_agent_lands_on_the_softphone_with_dialpad_and_state(TestInfo test) {
        BrowserSoftphone page = openBrowser(test);
        JsonNode landed = signIn(page, "alice");
        assertThat(landed.path("page").asString()).isEqualTo("softphone");
        JsonNode visible = landed.path("visible");
        assertThat(visible.path("dial-panel").asBoolean()).as("dial-panel in %s", visible).isTrue();
        assertThat(visible.path("agent-state").asBoolean()).as("agent-state in %s", visible).isTrue();
        assertThat(visible.path("state-available").asBoolean()).as("state-available in %s", visible).isTrue();
        assertThat(visible.path("history-refresh").asBoolean()).as("history-refresh in %s", visible).isTrue();
        page.run("screenshot", SIGNAL, "name", "agent-softphone");
    }

    @Test
    void a_user_who_may_only_read_calls_sees_history_without_dialpad_or_agent_state(TestInfo test) {
        String psychology = JSON.readTree(app.request("GET", "/api/me", null, app.token("maria")).body())
                .path("teamId").asString();
        var created = app.request("POST", "/api/admin/users", """
                {"username":"reader","displayName":"Call Reader","role":"agent","permissions":["calls:1"],
                 "teamId":"%s","password":"%s"}""".formatted(psychology, TestApp.USER_PASSWORD), app.token("admin"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        BrowserSoftphone page = openBrowser(test);
        JsonNode landed = signIn(page, "reader");
        assertThat(landed.path("page").asString()).isEqualTo("softphone");
        JsonNode visible = landed.path("visible");
        assertThat(visible.path("history-refresh").asBoolean()).as("history-refresh in %s", visible).isTrue();
        assertThat(visible.path("dial-panel").asBoolean()).as("dial-panel in %s", visible).isFalse();
        assertThat(visible.path("dialpad").asBoolean()).as("dialpad in %s", visible).isFalse();
        assertThat(visible.path("agent-state").asBoolean()).as("agent-state in %s", visible).isFalse();
        assertThat(visible.path("state-available").asBoolean()).as("state-available in %s", visible).isFalse();
        assertThat(visible.path("registration-state").asBoolean()).as("registration-state in %s", visible).isFalse();
        assertThat(visible.path("events-offline").asBoolean()).as("events-offline in %s", visible).isFalse();
        page.run("screenshot", SIGNAL, "name", "history-only");
    }
}
