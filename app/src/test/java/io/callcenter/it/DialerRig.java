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
     * A browser agent's dialer test: the app over HTTPS with the dialer on {@code clock} under the law's calling hours,
     * alice's phone in the browser (her microphone a 440 Hz tone) signed in and AVAILABLE, a wrap-up that lasts until
     * she saves it in the page, and the carrier's phone for the people she calls.
     */
    record BrowserAgent(FakeTelnyx telnyx, TestApp app, TestPhones phones, SipPhone carrier, BrowserSoftphone alice)
            implements AutoCloseable {

        static final int ALICE_TONE = 440;

        static BrowserAgent start(io.callcenter.testkit.TestClock clock, java.nio.file.Path artifacts) throws Exception {
            FakeTelnyx telnyx = new FakeTelnyx();
            telnyx.clock = clock;
            TestApp app = TestApp.startTls(TestDatabase.get().newDatabase(), TestAsterisk.get(), telnyx.appSettings(Map.of(
                    "callcenter.dialer.lawful-calling-hours", "08:00-21:00",
                    "callcenter.demo.agent-phone", "webrtc",
                    "callcenter.demo.wrap-up", "120s")), clock);
            telnyx.webhooksTo(app);
            TestPhones phones = new TestPhones();
            java.nio.file.Path microphone = artifacts.resolve("alice-440hz.wav");
            BrowserSoftphone.writeToneWav(microphone, ALICE_TONE, Duration.ofSeconds(10));
            BrowserSoftphone alice = BrowserSoftphone.start(app.baseUrl() + "/", microphone, artifacts.resolve("alice"));
            BrowserAgent rig = new BrowserAgent(telnyx, app, phones, phones.carrier(), alice);
            Duration signal = Duration.ofSeconds(15);
            alice.run("login", signal, "username", "alice", "password", TestApp.USER_PASSWORD);
            alice.run("setAgentState", signal, "state", "AVAILABLE");
            app.awaitAgentState("alice", "AVAILABLE", signal);
            return rig;
        }

        @Override
        public void close() {
            closeAll(alice, phones, app, telnyx);
        }
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
