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
    private static final double CUSTOMER = 1100.0;
    private static final double AGENT = 440.0;
    /** What the supervisor says: the console browser's fake microphone. */
    private static final double SUPERVISOR = 1700.0;
    /**
     * Chromium delivers its fake microphone 15 to 20 dB below the file's -10 dBFS; the SIP parties talk about as
     * loud, so the detector finds each voice in a mix of two.
     */
    private static final double VOICE_DBFS = -26.0;
    private static final Duration AUDIO = Duration.ofSeconds(8);
    private static final Duration SILENCE_WINDOW = Duration.ofSeconds(2);
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/console-it");

    private static TestAsterisk asterisk;
    private static TestApp app;
    private static Path microphone;
    private final TestPhones phones = new TestPhones();
    private BrowserSoftphone browser;

    @BeforeAll
    static void startSystem() {
        microphone = ARTIFACTS.resolve("supervisor-1700hz.wav");
        // A whole number of periods, so Chromium's looping of the file leaves no click that smears the spectrum.
        BrowserSoftphone.writeToneWav(microphone, SUPERVISOR, Duration.ofSeconds(10));
        asterisk = TestAsterisk.get();
        // Demo agents on SIP phones (the test's), no wrap-up: the console is the only browser here.
        app = TestApp.startTls(TestDatabase.get().newDatabase(), asterisk, Map.of());
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
        browser = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS.resolve(name));
        return browser;
    }

    private JsonNode signIn(BrowserSoftphone page, String username) {
        return page.run("signIn", SIGNAL, "username", username, "password", TestApp.USER_PASSWORD);
    }

    @Test
    void a_manager_lands_on_the_console_and_sees_a_caller_reach_an_agent_without_reloading(TestInfo test) {
        var campaign = app.request("POST", "/api/campaigns",
                "{\"name\":\"Spring renewals\",\"safeHarborMessage\":\"" + DialerCampaigns.SAFE_HARBOR + "\"}",
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
        // Other tests of this class may have given bob calls today already: the figures must grow by this one.
        JsonNode before = page.run("awaitWallboardAgent", SIGNAL, "extension", "1002", "state", "AVAILABLE");

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
        assertThat(after.path("agent").path("callsToday").asInt())
                .isEqualTo(before.path("agent").path("callsToday").asInt() + 1);
        assertThat(after.path("team").path("answeredToday").asInt())
                .isEqualTo(before.path("team").path("answeredToday").asInt() + 1);
        assertThat(after.path("team").path("callsInProgress").asInt()).isZero();
        page.run("screenshot", SIGNAL, "name", "console-after-call");
    }

    @Test
    void a_manager_listens_whispers_and_barges_from_the_phone_in_the_console(TestInfo test) {
        createPsychologyUser("""
                "username":"sue","displayName":"Sue Supervisor","role":"manager","agent":{"extension":"1009","phone":"webrtc"}""");
        BrowserSoftphone page = openBrowser(test);
        assertThat(signIn(page, "sue").path("page").asString()).isEqualTo("console");
        page.run("awaitConsolePhone", SIGNAL);
        // The console puts its phone on break: callers go to the agents, not to the manager watching them.
        app.awaitAgentState("sue", "BREAK", SIGNAL);

        SipPhone bob = phones.agent("1002", "127.0.0.4");
        page.run("awaitWallboardAgent", SIGNAL, "extension", "1002", "state", "AVAILABLE");
        SipCall customer = phones.carrier().call(TestApp.DEMO_DID);
        SipCall agent = bob.awaitIncomingCall(SIGNAL);
        agent.answer();
        customer.awaitAnswered(SIGNAL);
        customer.playTone(CUSTOMER, VOICE_DBFS);
        agent.playTone(AGENT, VOICE_DBFS);
        agent.assertHears(CUSTOMER, AUDIO);
        page.run("awaitWallboardAgent", SIGNAL, "extension", "1002", "state", "ON_CALL");

        // Listen: the console's phone hears both parties; neither hears the supervisor.
        page.run("monitor", SIGNAL, "extension", "1002");
        JsonNode heard = page.run("consoleAudio", Duration.ofSeconds(10), "ms", 2000,
                "frequencies", java.util.List.of(CUSTOMER, AGENT, SUPERVISOR));
        System.out.println("ConsoleBrowserIT listen: the console hears " + heard);
        assertThat(aboveMedian(heard, CUSTOMER)).as("the supervisor hears the customer: %s", heard).isGreaterThan(20);
        assertThat(aboveMedian(heard, AGENT)).as("the supervisor hears the agent: %s", heard).isGreaterThan(20);
        assertThat(agent.hears(SUPERVISOR, SILENCE_WINDOW)).as("listen: the agent does not hear the supervisor").isFalse();
        assertThat(customer.hears(SUPERVISOR, SILENCE_WINDOW)).as("listen: the customer does not hear the supervisor").isFalse();

        // Whisper: only the agent; the console's phone call goes on.
        JsonNode whisper = page.run("superviseMode", SIGNAL, "mode", "whisper");
        assertThat(whisper.path("pressed").asString()).isEqualTo("true");
        agent.assertHears(SUPERVISOR, AUDIO);
        assertThat(customer.hears(SUPERVISOR, SILENCE_WINDOW)).as("whisper: the customer does not hear the supervisor").isFalse();

        // Barge: both.
        page.run("superviseMode", SIGNAL, "mode", "barge");
        customer.assertHears(SUPERVISOR, AUDIO);
        agent.assertHears(SUPERVISOR, AUDIO);
        page.run("screenshot", SIGNAL, "name", "console-barge");

        customer.hangup();
        agent.awaitEnded(SIGNAL);
        page.run("awaitWallboardAgent", SIGNAL, "extension", "1002", "state", "AVAILABLE");
    }

    /** A user in maria's team through the admin API; {@code fields} are the JSON members besides team and password. */
    private static void createPsychologyUser(String fields) {
        String psychology = JSON.readTree(app.request("GET", "/api/me", null, app.token("maria")).body())
                .path("teamId").asString();
        var created = app.request("POST", "/api/admin/users", "{" + fields.strip() + ",\"teamId\":\"" + psychology
                + "\",\"password\":\"" + TestApp.USER_PASSWORD + "\"}", app.token("admin"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static double aboveMedian(JsonNode tone, double hz) {
        return tone.path("levels").path(String.valueOf((int) hz)).asDouble() - tone.path("medianDb").asDouble();
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
        createPsychologyUser("""
                "username":"reader","displayName":"Call Reader","role":"agent","permissions":["calls:1"]""");

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
