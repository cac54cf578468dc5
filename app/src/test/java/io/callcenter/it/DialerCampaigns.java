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

    /** The app under test; a test may restart it. */
    private final Supplier<TestApp> app;
    private final List<String> created = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

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
        body.put("safeHarborMessage", "Sorry we missed you. Psychology practice, call us back on 555 0100.");
        // Tests run at any hour: the window covers the whole day.
        body.putObject("callingHours").put("start", "00:00").put("end", "23:59");
        HttpResponse<String> response = app().request("POST", "/api/campaigns", JSON.writeValueAsString(body), app().token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = JSON.readTree(response.body()).path("campaign").path("id").asString();
        created.add(id);
        return id;
    }

    /** A campaign with these leads (CSV), switched on. */
    String started(String json, String csv) {
        String id = create(json);
        importLeads(id, csv);
        enable(id);
        return id;
    }

    void enable(String campaign) {
        HttpResponse<String> response = app().request("PUT", "/api/campaigns/" + campaign + "/enabled", "{\"enabled\":true}",
                app().token("maria"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    JsonNode importLeads(String campaign, String csv) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app().port() + "/api/campaigns/" + campaign + "/leads"))
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
        HttpResponse<String> response = app().request("GET", path, null, app().token("maria"));
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
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
