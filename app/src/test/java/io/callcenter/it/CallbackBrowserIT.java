package io.callcenter.it;

import io.callcenter.testkit.TestClock;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent sets a callback in wrap-up and later receives it as a preview, in a headless browser: the dialer (its
 * clock at a Monday morning in New York) hands a person to alice's page; she chooses "Call back" with the person's
 * time; when the clock reaches it, her page shows the callback as due with Dial, and Dial calls the person again.
 */
class CallbackBrowserIT extends BrowserAgentCase {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/callback-browser-it");
    private static final TestClock clock = TestClock.running(Instant.parse("2026-03-02T15:00:00Z"));

    @BeforeAll
    static void startSystem() throws Exception {
        rig = DialerRig.BrowserAgent.start(clock, ARTIFACTS);
    }

    @Test
    void an_agent_sets_a_callback_in_wrap_up_and_later_receives_it_as_a_preview() throws Exception {
        alice().screenshotOnFailure(this::run);
    }

    private void run() throws Exception {
        String campaign = dialer.create("{\"name\":\"Browser callbacks\",\"dialRatio\":\"1.5\",\"callingHours\":{\"start\":\"08:00\",\"end\":\"21:00\"}}");
        dialer.importLeads(campaign, "phone,name\n(212) 555-0301,Ann Callback\n");
        dialer.enable(campaign);

        FakeTelnyx.Dial dial = telnyx().awaitDial(Duration.ofSeconds(8));
        telnyx().send(dial, "call.initiated", Map.of("state", "bridging"));
        telnyx().answeredBy(dial, "human_residence");
        try {
            telnyx().awaitAction(dial.callControlId(), "transfer", Duration.ofSeconds(3));
        } catch (AssertionError noTransfer) {
            // What the dialer recorded (answer, verdict, greeting end, the 2 s deadline) says why nobody was reserved.
            throw new AssertionError(noTransfer.getMessage() + "; attempt: " + dialer.awaitAttempt(campaign, a -> true)
                    + "; the dialer's clock " + clock.instant(), noTransfer);
        }
        SipCall person = carrier().call("attempt-" + dial.attemptId());
        person.awaitAnswered(SIGNAL);
        person.playTone(1100);
        alice().run("awaitTalking", SIGNAL);
        assertThat(person.awaitHearing(440, Duration.ofSeconds(8))).as("Ann hears alice's page").isTrue();
        dialer.switchAllOff();
        person.hangup();
        alice().run("awaitEnded", SIGNAL);
        telnyx().send(dial, "call.hangup", Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));

        // "Call me back in five minutes": 10:05 on Ann's clock, alice's own callback.
        alice().run("scheduleCallback", SIGNAL, "at", "2026-03-02T10:05", "owner", "AGENT");
        alice().run("screenshot", SIGNAL, "name", "callback-set");
        dialer.awaitLeads(campaign, leads -> "CALLBACK".equals(leads.get(0).path("status").asString()));
        alice().run("setAgentState", SIGNAL, "state", "AVAILABLE");
        app().awaitAgentState("alice", "AVAILABLE", SIGNAL);

        clock.advance(Duration.ofMinutes(6));
        JsonNode preview = alice().run("awaitCallbackPreview", Duration.ofSeconds(30), "name", "Ann Callback");
        alice().run("screenshot", SIGNAL, "name", "callback-preview");
        assertThat(preview.path("text").asString()).contains("+12125550301").contains("2026-03-02 10:05")
                .contains("America/New_York").contains("1 attempt");
        // The server's sweep (every 5 s) offers it to her, holding her, and pushes it: the list is read again then.
        assertThat(preview.path("status").asString()).isIn("PENDING", "OFFERED");

        // Dial: the server rings alice's page first (auto-answer), then Ann through the trunk.
        CompletableFutureCall atAnn = CompletableFutureCall.await(carrier(), SIGNAL);
        alice().run("dialCallback", SIGNAL, "name", "Ann Callback");
        SipCall again = atAnn.get();
        again.answer();
        again.playTone(1100);
        assertThat(again.awaitHearing(440, Duration.ofSeconds(8))).as("Ann hears alice again").isTrue();
        alice().run("screenshot", SIGNAL, "name", "callback-call");
        again.hangup();
        alice().run("awaitEnded", SIGNAL);
    }

    /** The carrier's incoming call, awaited while the page dials (the INVITE may come before the page's answer). */
    private record CompletableFutureCall(java.util.concurrent.CompletableFuture<SipCall> future) {
        static CompletableFutureCall await(SipPhone phone, Duration timeout) {
            return new CompletableFutureCall(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> phone.awaitIncomingCall(timeout)));
        }

        SipCall get() throws Exception {
            return future.get(SIGNAL.toSeconds() + 5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
