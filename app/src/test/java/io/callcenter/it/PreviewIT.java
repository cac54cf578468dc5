package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PREVIEW campaign against the Telnyx stand-in and real Asterisk: the campaign dials nothing; alice, available, is
 * held for the first lead and shown it; she skips it with a reason (the lead goes back), is shown the next, dials
 * it: her phone rings first, she hears ringback while the person's phone rings through the trunk, they hear each
 * other, and her disposition becomes the lead's outcome.
 */
class PreviewIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SIGNAL = Duration.ofSeconds(8);
    /** US ringback is 440 + 480 Hz: 480 is heard only while the far end rings. */
    private static final int RINGBACK_HZ = 480;

    private static DialerRig rig;
    private static FakeTelnyx telnyx;
    private static TestApp app;
    private static SipPhone alicePhone;
    private static SipPhone carrier;
    private final DialerCampaigns dialer = new DialerCampaigns(() -> app);

    @BeforeAll
    static void startSystem() throws Exception {
        rig = DialerRig.start(Map.of());
        telnyx = rig.telnyx();
        app = rig.app();
        alicePhone = rig.alicePhone();
        carrier = rig.phones().carrier();
    }

    @AfterAll
    static void stop() throws Exception {
        DialerRig.stop(rig);
    }

    @Test
    void an_agent_skips_a_previewed_lead_dials_the_next_and_talks_to_the_person() throws Exception {
        String campaign = dialer.create("{\"name\":\"Preview\",\"dialRatio\":\"PREVIEW\"}");
        dialer.importLeads(campaign, "phone,name,external_id,notes\n(212) 555-0401,Ann Preview,A-1,asked about the family plan\n");
        dialer.enable(campaign);

        JsonNode ann = awaitOffer(o -> true);
        assertThat(ann.path("kind").asString()).isEqualTo("PREVIEW");
        assertThat(ann.path("leadName").asString()).isEqualTo("Ann Preview");
        assertThat(ann.path("number").asString()).isEqualTo("+12125550401");
        assertThat(ann.path("externalId").asString()).isEqualTo("A-1");
        assertThat(ann.path("zone").asString()).isEqualTo("America/New_York");
        assertThat(ann.path("fields").path("notes").asString()).isEqualTo("asked about the family plan");
        assertThat(ann.path("previousAttempts").isEmpty()).isTrue();
        app.awaitAgentState("alice", "ON_CALL", SIGNAL);
        assertThat(telnyx.pollDial(Duration.ofMillis(500))).as("a preview campaign dials nothing itself").isNull();
        // Bob joins the list while alice looks at Ann (leads imported together have no order among them).
        dialer.importLeads(campaign, "phone,name,external_id\n(212) 555-0402,Bob Preview,B-2\n");
        assertThat(app.request("POST", "/api/me/previews/" + ann.path("id").asString() + "/skip", "{\"reason\":\"x\"}",
                app.token("carol")).statusCode()).as("another agent's preview").isEqualTo(404);

        HttpResponse<String> skipped = app.request("POST", "/api/me/previews/" + ann.path("id").asString() + "/skip",
                "{\"reason\":\"asked to be called after the school run\"}", app.token("alice"));
        assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(204);
        JsonNode bob = awaitOffer(o -> "Bob Preview".equals(o.path("leadName").asString()));
        JsonNode annNow = leadNamed(campaign, "Ann Preview");
        assertThat(annNow.path("lead").path("status").asString()).as("back on the list").isEqualTo("NEW");
        assertThat(annNow.path("lead").path("attempts").asInt()).as("a skip is no attempt at the person").isZero();
        JsonNode skip = annNow.path("attempts").get(0);
        assertThat(DialerCampaigns.states(skip)).containsExactly("PREVIEWING", "ENDED");
        assertThat(skip.path("events").toString()).contains("skipped").contains("asked to be called after the school run");

        HttpResponse<String> chosen = app.request("POST", "/api/me/previews/" + bob.path("id").asString() + "/dial", null,
                app.token("alice"));
        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(200);
        HttpResponse<String> placed = app.request("POST", "/api/calls", "{\"number\":\"+12125550402\",\"leadId\":\""
                + bob.path("leadId").asString() + "\"}", app.token("alice"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        String callId = JSON.readTree(placed.body()).path("callId").asString();
        assertThat(callId).as("her call took the hold over: its id is the attempt's").isEqualTo(bob.path("id").asString());

        SipCall ownPhone = alicePhone.awaitIncomingCall(SIGNAL);
        ownPhone.answer();
        SipCall atBob = carrier.awaitIncomingCall(SIGNAL);
        assertThat(ownPhone.awaitHearing(RINGBACK_HZ, Duration.ofSeconds(5))).as("alice hears Bob's phone ring").isTrue();
        atBob.answer();
        atBob.playTone(1400);
        ownPhone.playTone(700);
        assertThat(ownPhone.awaitHearing(1400, Duration.ofSeconds(5))).as("alice hears Bob").isTrue();
        assertThat(atBob.awaitHearing(700, Duration.ofSeconds(5))).as("Bob hears alice").isTrue();
        atBob.hangup();
        ownPhone.awaitEnded(SIGNAL);

        HttpResponse<String> disposed = app.request("POST", "/api/calls/" + callId + "/disposition",
                "{\"code\":\"INTERESTED\"}", app.token("alice"));
        assertThat(disposed.statusCode()).as(disposed.body()).isEqualTo(200);
        JsonNode bobNow = awaitLead(campaign, "Bob Preview", l -> "DONE".equals(l.path("lead").path("status").asString()));
        assertThat(bobNow.path("lead").path("lastOutcome").asString()).isEqualTo("INTERESTED");
        JsonNode attempt = bobNow.path("attempts").get(0);
        assertThat(DialerCampaigns.states(attempt)).containsExactly("PREVIEWING", "PLACED", "ENDED");
        assertThat(attempt.path("attempt").path("outcome").asString()).isEqualTo("INTERESTED");
        assertThat(attempt.path("events").toString()).contains("call placed");
        dialer.switchAllOff();
    }

    private JsonNode awaitOffer(Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plusSeconds(15);
        List<String> seen = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = app.request("GET", "/api/me/offer", null, app.token("alice"));
            if (response.statusCode() == 200) {
                JsonNode offer = JSON.readTree(response.body());
                if (condition.test(offer)) {
                    return offer;
                }
                seen.add(response.body());
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("no offer as expected; seen: " + seen.stream().distinct().toList());
    }

    private JsonNode leadNamed(String campaign, String name) {
        for (JsonNode lead : dialer.leads(campaign)) {
            if (name.equals(lead.path("name").asString())) {
                return dialer.get("/api/campaigns/" + campaign + "/leads/" + lead.path("id").asString());
            }
        }
        throw new AssertionError("no lead " + name + ": " + dialer.leads(campaign));
    }

    private JsonNode awaitLead(String campaign, String name, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plusSeconds(10);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = leadNamed(campaign, name);
            if (condition.test(last)) {
                return last;
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("lead not as expected: " + last);
    }
}
