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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PREVIEW campaign in a headless browser over TLS, on a dialer clock set to a Monday morning in New York: alice's
 * page shows the preview card (name, number, reference, previous attempts) pushed over her socket; she skips the
 * lead with a reason; a quarter of an hour later it is offered again, the skip among its previous attempts; she
 * clicks Dial, the person answers through the trunk, they hear each other, and her disposition closes the lead.
 * Screenshots of the card are left in app/target/preview-browser-it/.
 */
class PreviewBrowserIT extends BrowserAgentCase {

    private static final Duration SIGNAL = Duration.ofSeconds(15);
    private static final Path ARTIFACTS = TestAsterisk.repoDir().resolve("app/target/preview-browser-it");
    private static final TestClock clock = TestClock.running(Instant.parse("2026-03-02T15:00:00Z"));
    private static final int ALICE_TONE = DialerRig.BrowserAgent.ALICE_TONE;
    private static final int PERSON_TONE = 1100;

    @BeforeAll
    static void startSystem() throws Exception {
        rig = DialerRig.BrowserAgent.start(clock, ARTIFACTS);
    }

    @Test
    void the_agent_sees_the_preview_card_skips_then_dials_and_talks_to_the_person() throws Exception {
        alice().screenshotOnFailure(this::run);
    }

    private void run() throws Exception {
        String campaign = dialer.create("{\"name\":\"Spring preview\",\"dialRatio\":\"PREVIEW\","
                + "\"callingHours\":{\"start\":\"08:00\",\"end\":\"21:00\"}}");
        dialer.importLeads(campaign, "phone,name,external_id,notes\n(212) 555-0501,Ann Preview,ACC-77,renewal due in April\n");
        dialer.enable(campaign);

        JsonNode first = alice().run("awaitOffer", SIGNAL, "name", "Ann Preview");
        assertThat(first.path("kind").asString()).isEqualTo("PREVIEW");
        assertThat(first.path("text").asString()).contains("+12125550501").contains("ACC-77")
                .contains("America/New_York").contains("renewal due in April").contains("First call");
        alice().run("screenshot", SIGNAL, "name", "preview-card-first");
        alice().run("skipOffer", SIGNAL, "name", "Ann Preview", "reason", "asked to be called after lunch");

        clock.advance(Duration.ofMinutes(16));
        JsonNode again = alice().run("awaitOffer", Duration.ofSeconds(20), "name", "Ann Preview");
        alice().run("screenshot", SIGNAL, "name", "preview-card");
        List<String> attempts = new java.util.ArrayList<>();
        again.path("attempts").forEach(a -> attempts.add(a.asString()));
        assertThat(attempts).singleElement().asString().contains("not dialled").contains("asked to be called after lunch");
        assertThat(telnyx().pollDial(Duration.ofMillis(300))).as("the campaign dials nothing itself").isNull();

        CompletableFuture<SipCall> atAnn = CompletableFuture.supplyAsync(() -> carrier().awaitIncomingCall(SIGNAL));
        alice().run("dialOffer", SIGNAL);
        SipCall person = atAnn.get(SIGNAL.toSeconds() + 5, TimeUnit.SECONDS);
        person.answer();
        person.playTone(PERSON_TONE);
        assertThat(person.awaitHearing(ALICE_TONE, Duration.ofSeconds(8))).as("Ann hears alice's page").isTrue();
        JsonNode tone = alice().run("measureAudio", Duration.ofSeconds(10), "ms", 2000,
                "frequencies", List.of(ALICE_TONE, PERSON_TONE)).path("tone");
        double personAboveNoise = tone.path("levels").path(String.valueOf(PERSON_TONE)).asDouble() - tone.path("medianDb").asDouble();
        assertThat(personAboveNoise).as("alice's page hears Ann: %s", tone).isGreaterThan(20);
        alice().run("screenshot", SIGNAL, "name", "preview-call");
        person.hangup();
        alice().run("awaitEnded", SIGNAL);
        alice().run("dispose", SIGNAL, "code", "INTERESTED");

        dialer.awaitLeads(campaign, leads -> "DONE".equals(leads.get(0).path("status").asString())
                && "INTERESTED".equals(leads.get(0).path("lastOutcome").asString()));
        JsonNode dialled = dialer.awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
        assertThat(DialerCampaigns.states(dialled)).containsExactly("PREVIEWING", "PLACED", "ENDED");
    }
}
