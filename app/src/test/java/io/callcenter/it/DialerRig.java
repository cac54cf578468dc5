package io.callcenter.it;

import io.callcenter.testkit.sip.SipPhone;

import java.time.Duration;
import java.util.Map;

/**
 * The system a dialer IT runs against: the app dialling through the Telnyx stand-in (with the test's own settings on
 * top of {@link FakeTelnyx#appSettings}) and alice's SIP phone registered, so she is the team's one available agent.
 */
record DialerRig(TestApp app, FakeTelnyx telnyx, TestPhones phones, SipPhone alicePhone) implements AutoCloseable {

    static DialerRig start(Map<String, String> settings) throws Exception {
        return start(settings, false);
    }

    /** The same system served over HTTPS, as browser tests need it (see {@link TestApp#startTls}). */
    static DialerRig startTls(Map<String, String> settings) throws Exception {
        return start(settings, true);
    }

    private static DialerRig start(Map<String, String> settings, boolean tls) throws Exception {
        FakeTelnyx telnyx = new FakeTelnyx();
        String database = TestDatabase.get().newDatabase();
        TestApp app = tls ? TestApp.startTls(database, TestAsterisk.get(), telnyx.appSettings(settings))
                : TestApp.start(database, TestAsterisk.get(), telnyx.appSettings(settings));
        telnyx.webhooksTo(app);
        TestPhones phones = new TestPhones();
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        app.awaitAgentState("alice", "AVAILABLE", Duration.ofSeconds(8));
        return new DialerRig(app, telnyx, phones, alice);
    }

    /**
     * The app for a browser agent's dialer test: over HTTPS, the dialer on {@code clock} under the law's calling hours,
     * agents' phones in the browser, and a wrap-up that lasts until the agent saves it in the page.
     */
    static TestApp startForBrowserAgent(FakeTelnyx telnyx, io.callcenter.testkit.TestClock clock) {
        telnyx.clock = clock;
        TestApp app = TestApp.startTls(TestDatabase.get().newDatabase(), TestAsterisk.get(), telnyx.appSettings(Map.of(
                "callcenter.dialer.lawful-calling-hours", "08:00-21:00",
                "callcenter.demo.agent-phone", "webrtc",
                "callcenter.demo.wrap-up", "120s")), clock);
        telnyx.webhooksTo(app);
        return app;
    }

    /** After each test: the test's campaigns off, alice free again. */
    void reset(DialerCampaigns campaigns) {
        campaigns.switchAllOff();
        app.awaitAgentState("alice", "AVAILABLE", Duration.ofSeconds(8));
    }

    /** After all tests; a rig that never started is nothing to stop. */
    static void stop(DialerRig rig) throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    /** Closes what a test class started, in order; a part that never started (null) is skipped. */
    static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable part : new AutoCloseable[]{phones, app, telnyx}) {
            part.close();
        }
    }
}
