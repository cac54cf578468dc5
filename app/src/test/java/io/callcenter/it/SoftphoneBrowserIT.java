package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import io.callcenter.testkit.sip.ToneDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent softphone page end to end: headless Chromium signs in, registers JsSIP over WebRTC to the real
 * Asterisk, and talks to the stand-in carrier through the real app. Audio is proven both ways: the browser's fake
 * microphone plays 440 Hz, which the carrier must detect; the carrier plays 1100 Hz, which must show up in the
 * browser's RTP counters and as the peak of the remote stream's spectrum (WebAudio).
 */
class SoftphoneBrowserIT {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Duration AUDIO = Duration.ofSeconds(8);
    static final double AGENT_TONE = 440.0;
    static final double FAR_END_TONE = 1100.0;
    private static final String FAR_END = "+15557654321";
    private static final double THIRD_PARTY_TONE = 1500.0;
    /** What the customer says while the recording is paused: it must not be in the recording. */
    private static final double CARD_DIGITS_TONE = 1900.0;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/softphone-it");

    private static TestAsterisk asterisk;
    private static TestApp app;
    private static Path microphone;
    private final TestPhones phones = new TestPhones();
    private BrowserSoftphone browser;

    @BeforeAll
    static void startSystem() {
        microphone = ARTIFACTS.resolve("agent-440hz.wav");
        // A whole number of periods, so Chromium's looping of the file leaves no click that smears the spectrum.
        BrowserSoftphone.writeToneWav(microphone, AGENT_TONE, Duration.ofSeconds(10));
        asterisk = TestAsterisk.get();
        app = TestApp.startTls(TestDatabase.get().newDatabase(), asterisk, Map.of(
                "callcenter.demo.agent-phone", "webrtc",
                // Long enough that the agent stays in wrap-up until the page saves the disposition.
                "callcenter.demo.wrap-up", "120s"));
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
        // Every call of the test gone from Asterisk and from the agents' states, so the wrap-ups below are all there.
        asterisk.awaitIdle(TestPhones.SETTLE);
        // A test that failed mid-call leaves its agent in wrap-up for the whole wrap-up time: end it, so the next
        // test fails (or passes) on its own.
        for (String agent : List.of("alice", "bob")) {
            app.awaitOffCall(agent, TestPhones.SETTLE);
            JsonNode state = JSON.readTree(app.request("GET", "/api/me/state", null, app.token(agent)).body());
            if ("WRAP_UP".equals(state.path("state").asString()) && state.hasNonNull("callId")) {
                app.request("POST", "/api/calls/" + state.path("callId").asString() + "/disposition",
                        "{\"code\":\"ANSWERED\"}", app.token(agent));
            }
        }
    }

    private BrowserSoftphone openBrowser(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        // The site root, as an agent would type it: it redirects to the page.
        browser = BrowserSoftphone.start(app.baseUrl() + "/", microphone, ARTIFACTS.resolve(name));
        return browser;
    }

    @Test
    void agent_dials_from_the_page_talks_holds_sends_dtmf_and_dispositions(TestInfo test) {
        Instant started = Instant.now();
        BrowserSoftphone page = openBrowser(test);
        page.run("login", SIGNAL, "username", "alice", "password", TestApp.USER_PASSWORD);
        page.run("setAgentState", SIGNAL, "state", "AVAILABLE");
        SipPhone carrier = phones.carrier();

        // The server calls the page first (auto-answer header), then the far end.
        JsonNode dialled = page.run("dial", SIGNAL, "number", FAR_END, "leadId", "LEAD-7");
        String callId = dialled.path("call").path("callId").asString();
        assertThat(callId).as("call id from the auto-answer header").isNotBlank();
        SipCall farEnd = carrier.awaitIncomingCall(SIGNAL);
        assertThat(farEnd.requestUri()).contains(FAR_END);
        farEnd.ringing();
        farEnd.answer();
        farEnd.playTone(FAR_END_TONE);
        page.run("awaitTalking", SIGNAL);
        assertTwoWayAudio(page, farEnd, "outbound call");

        page.run("toggle", SIGNAL, "control", "mute");
        assertFarEndStopsHearingTheAgent(farEnd, "muted");
        page.run("toggle", SIGNAL, "control", "mute");
        assertThat(farEnd.awaitHearing(AGENT_TONE, AUDIO)).as("far end hears the agent again after unmute").isTrue();

        page.run("toggle", SIGNAL, "control", "hold");
        assertFarEndStopsHearingTheAgent(farEnd, "on hold");
        page.run("toggle", SIGNAL, "control", "hold");
        assertTwoWayAudio(page, farEnd, "after unhold");

        page.run("dtmf", SIGNAL, "digits", "12#");
        awaitDtmf(farEnd, "12#");

        page.run("hangup", SIGNAL);
        farEnd.awaitEnded(SIGNAL);
        page.run("dispose", SIGNAL, "code", "INTERESTED", "note", "wants the brochure");

        JsonNode row = historyRow(page.run("history", SIGNAL, "callId", callId, "disposition", "Interested"), callId);
        assertThat(row.path("direction").asString()).isEqualTo("outbound");
        assertThat(row.path("number").asString()).isEqualTo(FAR_END);
        assertThat(row.path("lead").asString()).isEqualTo("LEAD-7");
        assertThat(row.path("duration").asString()).as("answered call has a duration").matches("\\d+:\\d\\d");
        System.out.printf("SoftphoneBrowserIT outbound: %d ms from browser start to disposition in history%n",
                Duration.between(started, Instant.now()).toMillis());
    }

    @Test
    void inbound_call_to_the_team_number_rings_in_the_page_and_is_answered(TestInfo test) {
        Instant started = Instant.now();
        BrowserSoftphone page = openBrowser(test);
        // bob, not alice: a failure of the other test must not leave this one's agent in wrap-up.
        page.run("login", SIGNAL, "username", "bob", "password", TestApp.USER_PASSWORD);
        page.run("setAgentState", SIGNAL, "state", "AVAILABLE");
        SipPhone carrier = phones.carrier();

        SipCall caller = carrier.call(TestApp.DEMO_DID);
        JsonNode ringing = page.run("awaitIncoming", SIGNAL);
        assertThat(ringing.path("number").asString()).as("the page shows the caller's number").isEqualTo(TestPhones.CARRIER_CALLER);
        assertThat(ringing.path("state").path("call").path("autoAnswer").asBoolean()).as("a customer's call is not auto-answered").isFalse();
        page.run("answer", SIGNAL);
        caller.awaitAnswered(SIGNAL);
        caller.playTone(FAR_END_TONE);
        assertTwoWayAudio(page, caller, "inbound call");

        caller.hangup();
        JsonNode ended = page.run("awaitEnded", SIGNAL);
        String callId = ended.path("wrapUp").path("callId").asString();
        assertThat(callId).as("the server told the page which call to disposition").isNotBlank();
        page.run("dispose", SIGNAL, "code", "ANSWERED");

        JsonNode row = historyRow(page.run("history", SIGNAL, "callId", callId, "disposition", "Answered"), callId);
        assertThat(row.path("direction").asString()).isEqualTo("inbound");
        assertThat(row.path("number").asString()).isEqualTo(TestPhones.CARRIER_CALLER);
        System.out.printf("SoftphoneBrowserIT inbound: %d ms from browser start to disposition in history%n",
                Duration.between(started, Instant.now()).toMillis());
    }

    /**
     * The issue's "done means" for conferencing from the page: alice dials a customer, pauses the recording while
     * card details are spoken, adds a third party with Add party, all three hear each other, alice hangs up in the
     * page and the other two talk on; the recording downloaded through the API holds all three voices and no card
     * details.
     */
    @Test
    void agent_adds_a_party_from_the_page_all_three_talk_and_the_call_survives_the_agent_leaving(TestInfo test) {
        Instant started = Instant.now();
        BrowserSoftphone page = openBrowser(test);
        page.run("login", SIGNAL, "username", "alice", "password", TestApp.USER_PASSWORD);
        page.run("setAgentState", SIGNAL, "state", "AVAILABLE");
        SipPhone carrier = phones.carrier();

        String callId = page.run("dial", SIGNAL, "number", FAR_END).path("call").path("callId").asString();
        SipCall customer = carrier.awaitIncomingCall(SIGNAL);
        assertThat(customer.requestUri()).contains(FAR_END);
        customer.answer();
        customer.playTone(FAR_END_TONE);
        page.run("awaitTalking", SIGNAL);
        assertTwoWayAudio(page, customer, "before the conference");
        // Chromium's capture processing (the page keeps the default echo cancellation, noise suppression and gain
        // control) delivers the fake microphone's -10 dBFS 15 to 20 dB quieter, and the tone detector wants each
        // voice to carry a few percent of what a party hears: the carrier's two speakers talk as loud as alice
        // arrives, as people on one call roughly do.
        ToneDetector.Result alice = customer.analyseTone(AGENT_TONE, Duration.ofSeconds(1));
        double voice = Math.clamp(alice.levelDbfs(), -36.0, -10.0);
        System.out.printf("SoftphoneBrowserIT conference: alice arrives at the carrier at %.1f dBFS (%s); the carrier's "
                + "parties talk at %.1f dBFS%n", alice.levelDbfs(), alice, voice);
        customer.playTone(FAR_END_TONE, voice);

        // Payment pause: the page shows it, and what the customer says meanwhile stays out of the recording.
        JsonNode paused = page.run("recording", SIGNAL, "paused", true);
        assertThat(paused.path("indicator").asString()).endsWith("Recording paused");
        assertThat(paused.path("toggle").asString()).isEqualTo("Resume recording");
        page.run("screenshot", SIGNAL, "name", "recording-paused");
        customer.playTone(CARD_DIGITS_TONE, voice);
        TestApp.sleep(2500);
        customer.playTone(FAR_END_TONE, voice);
        TestApp.sleep(300);
        JsonNode resumed = page.run("recording", SIGNAL, "paused", false);
        assertThat(resumed.path("indicator").asString()).contains("Recording").doesNotContain("paused");
        assertThat(resumed.path("toggle").asString()).isEqualTo("Pause recording");

        JsonNode refused = page.run("addPartyExpectingRefusal", SIGNAL, "target", "12");
        assertThat(refused.path("type").asString()).isEqualTo("invalid-number");
        assertThat(refused.path("shown").asString()).as("the server's problem detail").contains("'12' is not a valid phone number");
        assertThat(refused.path("parties").asInt()).isZero();

        Instant added = Instant.now();
        JsonNode ringing = page.run("addParty", SIGNAL, "target", "(555) 765-0001");
        SipCall third = carrier.awaitIncomingCall(SIGNAL);
        assertThat(third.requestUri()).contains("+15557650001");
        assertThat(ringing.path("party").path("text").asString()).contains("(555) 765-0001");
        third.ringing();
        page.run("awaitParty", SIGNAL, "state", "ringing");
        assertThat(customer.hears(AGENT_TONE)).as("alice and the customer talk on while the third party rings").isTrue();
        third.answer();
        third.playTone(THIRD_PARTY_TONE, voice);
        // The joining party hears the recording notice alone (about 2 s) before the page shows them in the call.
        JsonNode joined = page.run("awaitParty", SIGNAL, "state", "joined");
        long joinMillis = Duration.between(added, Instant.now()).toMillis();
        assertThat(joined.path("party").path("text").asString()).contains("In the call");
        assertThat(joined.path("full").asBoolean()).as("a third party makes the conference full: %s", joined).isTrue();
        assertThat(joined.path("addDisabled").asBoolean()).as("Add party is disabled when full").isTrue();
        page.run("screenshot", SIGNAL, "name", "conference-full");

        assertThat(customer.awaitHearing(THIRD_PARTY_TONE, AUDIO)).as("customer hears the third party").isTrue();
        assertThat(customer.awaitHearing(AGENT_TONE, AUDIO)).as("customer hears alice").isTrue();
        assertThat(third.awaitHearing(AGENT_TONE, AUDIO)).as("third party hears alice").isTrue();
        assertThat(third.awaitHearing(FAR_END_TONE, AUDIO)).as("third party hears the customer").isTrue();
        JsonNode tone = page.run("measureAudio", Duration.ofSeconds(10), "ms", 2000,
                "frequencies", List.of(AGENT_TONE, FAR_END_TONE, THIRD_PARTY_TONE)).path("tone");
        double customerAboveNoise = aboveMedian(tone, FAR_END_TONE);
        double thirdAboveNoise = aboveMedian(tone, THIRD_PARTY_TONE);
        System.out.printf("SoftphoneBrowserIT conference: third party in the call %d ms after Add party; browser hears "
                + "customer %.1f dB and third party %.1f dB above the median (own voice %.1f dB); %s%n",
                joinMillis, customerAboveNoise, thirdAboveNoise, aboveMedian(tone, AGENT_TONE), tone);
        assertThat(customerAboveNoise).as("browser hears the customer in the conference: %s", tone).isGreaterThan(20);
        assertThat(thirdAboveNoise).as("browser hears the third party in the conference: %s", tone).isGreaterThan(20);

        page.run("hangup", SIGNAL);
        // Alice's voice goes with her leg; the other two still hear each other.
        Instant deadline = Instant.now().plus(AUDIO);
        while (customer.hears(AGENT_TONE) && Instant.now().isBefore(deadline)) {
            TestApp.sleep(100);
        }
        assertThat(customer.hears(AGENT_TONE)).as("alice has left the call").isFalse();
        assertThat(customer.awaitHearing(THIRD_PARTY_TONE, AUDIO)).as("customer hears the third party without alice").isTrue();
        assertThat(third.awaitHearing(FAR_END_TONE, AUDIO)).as("third party hears the customer without alice").isTrue();
        assertThat(customer.state()).isEqualTo(SipCall.State.ANSWERED);
        TestApp.sleep(1500);

        customer.hangup();
        third.awaitEnded(SIGNAL);
        JsonNode call = awaitEnded(callId, true);
        List<String> leaves = new ArrayList<>();
        call.path("legs").forEach(leg -> leaves.add(leg.path("role").asString() + ":" + leg.path("leaveReason").asString()));
        assertThat(leaves).as("alice hung up first, the customer last").contains("participant:removed").hasSize(3);
        assertThat(ConferenceRecordingIT.events(call)).containsSubsequence("recording started", "recording paused",
                "recording resumed", "adding participant", "participant joined");
        WavFile recording = download(callId, "alice");
        System.out.printf("SoftphoneBrowserIT conference recording: %.1f s, longest silence %.1f s%n",
                recording.seconds(), recording.longestSilence(50));
        assertThat(recording.hasStretchWithAll(AGENT_TONE, FAR_END_TONE, THIRD_PARTY_TONE)).as("all three voices at once").isTrue();
        assertThat(recording.hasStretchWithAll(FAR_END_TONE, THIRD_PARTY_TONE)).isTrue();
        assertThat(recording.anyStretchWith(CARD_DIGITS_TONE)).as("no card details in the recording").isFalse();
        assertThat(recording.longestSilence(50)).as("the payment pause is a gap in the recording").isGreaterThan(2.0);

        page.run("dispose", SIGNAL, "code", "ANSWERED");
        System.out.printf("SoftphoneBrowserIT conference: %d ms from browser start to disposition%n",
                Duration.between(started, Instant.now()).toMillis());
    }

    /**
     * Attended transfer from the page: alice consults the target while the customer waits, cancels and is back with
     * the customer, consults a second target and completes; the customer and that target then talk without her.
     */
    @Test
    void agent_transfers_attended_from_the_page_cancels_once_then_completes(TestInfo test) {
        BrowserSoftphone page = openBrowser(test);
        page.run("login", SIGNAL, "username", "alice", "password", TestApp.USER_PASSWORD);
        page.run("setAgentState", SIGNAL, "state", "AVAILABLE");
        SipPhone carrier = phones.carrier();
        String callId = page.run("dial", SIGNAL, "number", FAR_END).path("call").path("callId").asString();
        SipCall customer = carrier.awaitIncomingCall(SIGNAL);
        customer.answer();
        customer.playTone(FAR_END_TONE);
        page.run("awaitTalking", SIGNAL);
        assertThat(customer.awaitHearing(AGENT_TONE, AUDIO)).as("customer hears alice").isTrue();

        JsonNode ringing = page.run("transfer", SIGNAL, "target", "(555) 765-0002", "mode", "attended");
        assertThat(ringing.path("text").asString()).as("the server's normalised target").contains("+15557650002").contains("on hold");
        SipCall first = carrier.awaitIncomingCall(SIGNAL);
        assertThat(first.requestUri()).contains("+15557650002");
        first.answer();
        first.playTone(THIRD_PARTY_TONE);
        JsonNode consulting = page.run("awaitTransfer", SIGNAL, "state", "consulting");
        assertThat(consulting.path("callStatus").asString()).isEqualTo("Consulting");
        assertThat(consulting.path("completeEnabled").asBoolean()).isTrue();
        page.run("screenshot", SIGNAL, "name", "transfer-consulting");
        assertThat(first.awaitHearing(AGENT_TONE, AUDIO)).as("the target hears alice consulting").isTrue();
        assertBrowserHears(page, THIRD_PARTY_TONE, "consulting the target");

        page.run("cancelTransfer", SIGNAL);
        first.awaitEnded(SIGNAL);
        assertTwoWayAudio(page, customer, "back with the customer after cancelling");

        page.run("transfer", SIGNAL, "target", "+15557650003", "mode", "attended");
        SipCall second = carrier.awaitIncomingCall(SIGNAL);
        assertThat(second.requestUri()).contains("+15557650003");
        second.answer();
        second.playTone(THIRD_PARTY_TONE);
        page.run("awaitTransfer", SIGNAL, "state", "consulting");
        assertThat(second.awaitHearing(AGENT_TONE, AUDIO)).as("the second target hears alice consulting").isTrue();
        page.run("completeTransfer", SIGNAL);
        assertThat(customer.awaitHearing(THIRD_PARTY_TONE, AUDIO)).as("customer hears the target").isTrue();
        assertThat(second.awaitHearing(FAR_END_TONE, AUDIO)).as("the target hears the customer").isTrue();

        customer.hangup();
        second.awaitEnded(SIGNAL);
        JsonNode call = awaitEnded(callId, false);
        assertThat(ConferenceRecordingIT.events(call)).containsSubsequence("attended transfer started",
                "consulting transfer target", "transfer cancelled", "attended transfer started",
                "consulting transfer target", "transfer completed");
        page.run("dispose", SIGNAL, "code", "ANSWERED");
    }

    /** Blind transfer from the page, after a refused one whose reason the page shows. */
    @Test
    void agent_transfers_blind_from_the_page_and_leaves_the_call(TestInfo test) {
        BrowserSoftphone page = openBrowser(test);
        page.run("login", SIGNAL, "username", "alice", "password", TestApp.USER_PASSWORD);
        page.run("setAgentState", SIGNAL, "state", "AVAILABLE");
        SipPhone carrier = phones.carrier();
        String callId = page.run("dial", SIGNAL, "number", FAR_END).path("call").path("callId").asString();
        SipCall customer = carrier.awaitIncomingCall(SIGNAL);
        customer.answer();
        customer.playTone(FAR_END_TONE);
        page.run("awaitTalking", SIGNAL);
        assertThat(customer.awaitHearing(AGENT_TONE, AUDIO)).as("customer hears alice").isTrue();

        JsonNode refused = page.run("transferExpectingRefusal", SIGNAL, "target", "1003", "mode", "blind");
        assertThat(refused.path("type").asString()).isEqualTo("target-busy");
        assertThat(refused.path("shown").asString()).as("the server's problem detail")
                .contains("Extension 1003 is busy or its phone is not registered");
        assertThat(refused.path("state").path("call").path("status").asString()).as("the call goes on").isEqualTo("talking");

        page.run("transfer", SIGNAL, "target", "+15557650004", "mode", "blind");
        SipCall target = carrier.awaitIncomingCall(SIGNAL);
        assertThat(target.requestUri()).contains("+15557650004");
        target.answer();
        target.playTone(THIRD_PARTY_TONE);
        assertThat(customer.awaitHearing(THIRD_PARTY_TONE, AUDIO)).as("customer hears the target").isTrue();
        assertThat(target.awaitHearing(FAR_END_TONE, AUDIO)).as("the target hears the customer").isTrue();

        customer.hangup();
        target.awaitEnded(SIGNAL);
        JsonNode call = awaitEnded(callId, false);
        assertThat(ConferenceRecordingIT.events(call)).containsSubsequence("blind transfer started", "transfer completed");
        List<String> leaves = new ArrayList<>();
        call.path("legs").forEach(leg -> leaves.add(leg.path("role").asString() + ":" + leg.path("leaveReason").asString()));
        assertThat(leaves).contains("transfer_target:removed").anyMatch(leave -> leave.endsWith(":transferred"));
        page.run("dispose", SIGNAL, "code", "ANSWERED");
    }

    private static void assertBrowserHears(BrowserSoftphone page, double hz, String when) {
        JsonNode tone = page.run("measureAudio", Duration.ofSeconds(10), "ms", 2000, "frequencies", List.of(hz)).path("tone");
        System.out.printf("SoftphoneBrowserIT %s: remote spectrum peak %d Hz, %.0f Hz %.1f dB above the median%n",
                when, tone.path("peakHz").asInt(), hz, aboveMedian(tone, hz));
        assertThat(tone.path("peakHz").asInt()).as("browser hears %.0f Hz (%s): %s", hz, when, tone)
                .isBetween((int) hz - 20, (int) hz + 20);
        assertThat(aboveMedian(tone, hz)).as("%s: %s", when, tone).isGreaterThan(30);
    }

    private static double aboveMedian(JsonNode tone, double hz) {
        return tone.path("levels").path(String.valueOf((int) hz)).asDouble() - tone.path("medianDb").asDouble();
    }

    private JsonNode awaitEnded(String callId, boolean withRecording) {
        Instant deadline = Instant.now().plus(SIGNAL);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = JSON.readTree(app.request("GET", "/api/calls/" + callId, null, app.token("alice")).body());
            if ("ENDED".equals(last.path("state").asString()) && (!withRecording || !last.path("recordingUrl").isNull())) {
                return last;
            }
            TestApp.sleep(200);
        }
        throw new AssertionError("call " + callId + " never ended" + (withRecording ? " with a recording" : "") + "; last seen " + last);
    }

    private WavFile download(String callId, String user) {
        try {
            HttpResponse<byte[]> response = app.http().send(HttpRequest.newBuilder(
                            URI.create(app.baseUrl() + "/api/calls/" + callId + "/recording"))
                    .header("Authorization", "Bearer " + app.token(user)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("audio/wav");
            return WavFile.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The far end hears the browser's microphone, and the browser receives RTP carrying the far end's tone: packet
     * and energy counters rise, and the remote stream's spectrum peaks at the far end's frequency.
     */
    static void assertTwoWayAudio(BrowserSoftphone page, SipCall farEnd, String when) {
        assertThat(farEnd.awaitHearing(AGENT_TONE, AUDIO)).as("far end hears the agent (%s)", when).isTrue();
        JsonNode audio = page.run("measureAudio", Duration.ofSeconds(10), "ms", 2000, "frequencies", List.of(AGENT_TONE, FAR_END_TONE));
        long received = delta(audio, "inbound", "packetsReceived");
        long sent = delta(audio, "outbound", "packetsSent");
        double energy = audio.path("after").path("inbound").path("totalAudioEnergy").asDouble()
                - audio.path("before").path("inbound").path("totalAudioEnergy").asDouble();
        JsonNode tone = audio.path("tone");
        double toneAboveNoise = tone.path("levels").path(String.valueOf((int) FAR_END_TONE)).asDouble() - tone.path("medianDb").asDouble();
        System.out.printf("SoftphoneBrowserIT %s: browser RTP in %d / out %d packets in 2 s, inbound energy +%.4f, "
                        + "codec %s, remote spectrum peak %d Hz (%.1f dB above median), far end hears 440 Hz%n",
                when, received, sent, energy, audio.path("after").path("inbound").path("codec").asString(),
                tone.path("peakHz").asInt(), toneAboveNoise);

        // 20 ms packets: 100 in 2 s; allow for the measurement window's edges.
        assertThat(received).as("RTP packets received by the browser in 2 s (%s)", when).isGreaterThan(70);
        assertThat(sent).as("RTP packets sent by the browser in 2 s (%s)", when).isGreaterThan(70);
        assertThat(energy).as("audio energy received by the browser (%s)", when).isGreaterThan(0.01);
        assertThat(tone.path("error").isMissingNode()).as("remote audio analysable: %s", tone).isTrue();
        assertThat(tone.path("peakHz").asInt()).as("browser hears the far end's tone (%s): %s", when, tone)
                .isBetween((int) FAR_END_TONE - 20, (int) FAR_END_TONE + 20);
        assertThat(toneAboveNoise).as("far end's tone stands out of the spectrum (%s): %s", when, tone).isGreaterThan(30);
    }

    private static void assertFarEndStopsHearingTheAgent(SipCall farEnd, String why) {
        Instant deadline = Instant.now().plus(AUDIO);
        while (farEnd.hears(AGENT_TONE) && Instant.now().isBefore(deadline)) {
            TestApp.sleep(100);
        }
        assertThat(farEnd.hears(AGENT_TONE)).as("far end no longer hears the agent (%s)", why).isFalse();
    }

    private static void awaitDtmf(SipCall farEnd, String digits) {
        Instant deadline = Instant.now().plus(AUDIO);
        while (!farEnd.receivedDtmf().contains(digits) && Instant.now().isBefore(deadline)) {
            TestApp.sleep(100);
        }
        assertThat(farEnd.receivedDtmf()).as("RFC 4733 digits at the far end").contains(digits);
    }

    private static long delta(JsonNode audio, String direction, String counter) {
        return audio.path("after").path(direction).path(counter).asLong() - audio.path("before").path(direction).path(counter).asLong();
    }

    private static JsonNode historyRow(JsonNode history, String callId) {
        for (JsonNode row : history.path("rows")) {
            if (callId.equals(row.path("callId").asString())) {
                return row;
            }
        }
        throw new AssertionError("call " + callId + " not in the page's history: " + history);
    }
}
