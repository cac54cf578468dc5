package io.callcenter.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Campaigns, their leads and attempts through the REST API as maria (a Psychology manager), for the dialer ITs. */
final class DialerCampaigns {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SOON = Duration.ofSeconds(8);
    /** Names the seller (the team), gives the call-back number (its caller ID) and offers the opt-out key. */
    static final String SAFE_HARBOR = "Sorry we missed you. Psychology practice, call us back on 555 0100. "
            + "Press 9 and we will not call you again.";

    /** The app under test; a test may restart it. */
    private final Supplier<TestApp> app;
    private final List<String> created = new ArrayList<>();
    private final HttpClient http = TestTls.httpClient();

    DialerCampaigns(Supplier<TestApp> app) {
        this.app = app;
    }

    private TestApp app() {
        return app.get();
    }

    void switchAllOff() {
        created.forEach(id -> app().request("PUT", "/api/campaigns/" + id + "/enabled", "{\"enabled\":false}", app().token("maria")));
    }

    /** Creates a campaign of Psychology (maria's team) that may call at any hour; switched off by {@link #switchAllOff}. */
    String create(String json) {
        ObjectNode body = (ObjectNode) JSON.readTree(json);
        body.put("safeHarborMessage", SAFE_HARBOR);
        // Tests run at any hour: the window covers the whole day, unless the test sets the day's hour and the window.
        if (!body.has("callingHours")) {
            body.putObject("callingHours").put("start", "00:00").put("end", "23:59");
        }
        HttpResponse<String> response = app().request("POST", "/api/campaigns", JSON.writeValueAsString(body), app().token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = JSON.readTree(response.body()).path("campaign").path("id").asString();
        created.add(id);
        uploadSafeHarborRecording(app(), id);
        return id;
    }

    /**
     * The campaign's recorded safe-harbor message, which a campaign needs before it may be switched on: here four
     * seconds of a 600 Hz tone, so a test can hear that the person got the campaign's message and not silence.
     */
    static void uploadSafeHarborRecording(TestApp app, String campaign) {
        int rate = 8000;
        int samples = rate * 4;
        java.nio.ByteBuffer wav = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(samples * 2);
        for (int n = 0; n < samples; n++) {
            wav.putShort((short) (8000 * Math.sin(2 * Math.PI * 600 * n / rate)));
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/campaigns/"
                            + campaign + "/safe-harbor-audio"))
                    .header("Content-Type", "audio/wav").header("Authorization", "Bearer " + app.token("maria"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(wav.array())).build();
            HttpResponse<String> response = app.http().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A campaign with these leads (CSV), switched on. */
    String started(String json, String csv) {
        String id = create(json);
        importLeads(id, csv);
        enable(id);
        return id;
    }

    void enable(String campaign) {
        HttpResponse<String> response = app().request("PUT", "/api/campaigns/" + campaign + "/enabled", "{\"enabled\":true,\"confirm\":true}",
                app().token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    JsonNode importLeads(String campaign, String csv) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(app().baseUrl() + "/api/campaigns/" + campaign + "/leads"))
                    .header("Content-Type", "text/csv")
                    .header("Authorization", "Bearer " + app().token("maria"))
                    .POST(HttpRequest.BodyPublishers.ofString(csv)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String path) {
        return JSON.readTree(text(path));
    }

    /** The body of a GET that must succeed (CSV and the like). */
    String text(String path) {
        HttpResponse<String> response = app().request("GET", path, null, app().token("maria"));
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return response.body();
    }

    JsonNode leads(String campaign) {
        return get("/api/campaigns/" + campaign + "/leads");
    }

    JsonNode lead(String campaign) {
        return leads(campaign).get(0);
    }

    void awaitLeads(String campaign, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(SOON);
        while (Instant.now().isBefore(deadline)) {
            if (condition.test(leads(campaign))) {
                return;
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("leads not as expected: " + leads(campaign));
    }

    /** The first lead's latest attempt with its events, once it satisfies the condition. */
    /**
     * The carrier's transfer leg reaches the agent, who hears the person's tone; the person hangs up, the carrier
     * reports it, and the attempt ends. Returns the ended attempt.
     */
    JsonNode connectHearAndHangUp(String campaign, FakeTelnyx telnyx, FakeTelnyx.Dial dial,
                                  io.callcenter.testkit.sip.SipPhone carrier, io.callcenter.testkit.sip.SipPhone agent) {
        io.callcenter.testkit.sip.SipCall person = carrier.call("attempt-" + dial.attemptId());
        io.callcenter.testkit.sip.SipCall atAgent = agent.awaitIncomingCall(Duration.ofSeconds(5));
        atAgent.answer();
        person.awaitAnswered(Duration.ofSeconds(5));
        person.playTone(440);
        assertThat(atAgent.awaitHearing(440, Duration.ofSeconds(5))).as("the person reached the agent").isTrue();
        person.hangup();
        atAgent.awaitEnded(Duration.ofSeconds(5));
        telnyx.send(dial, "call.hangup", java.util.Map.of("hangup_cause", "normal_clearing", "hangup_source", "callee"));
        return awaitAttempt(campaign, a -> "ENDED".equals(a.path("attempt").path("state").asString()));
    }

    JsonNode awaitAttempt(String campaign, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(SOON);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode view = get("/api/campaigns/" + campaign + "/leads/" + lead(campaign).path("id").asString());
            JsonNode attempts = view.path("attempts");
            if (!attempts.isEmpty()) {
                last = attempts.get(attempts.size() - 1);
                if (condition.test(last)) {
                    return last;
                }
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("attempt not as expected: " + last);
    }

    JsonNode awaitCampaign(String campaign, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(SOON);
        while (Instant.now().isBefore(deadline)) {
            JsonNode view = get("/api/campaigns/" + campaign);
            if (condition.test(view)) {
                return view;
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("campaign not as expected: " + get("/api/campaigns/" + campaign));
    }

    /** The states an attempt went through, in order, without the ignored events. */
    static List<String> states(JsonNode attempt) {
        List<String> states = new ArrayList<>();
        for (JsonNode event : attempt.path("events")) {
            String to = event.path("to").asString();
            if (!event.path("detail").asString("").startsWith("ignored") && !to.equals(event.path("from").asString(null))) {
                states.add(to);
            }
        }
        return states;
    }
}
