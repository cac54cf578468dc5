package io.callcenter.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Reads call records through the public REST API, as a CRM or a manager's tool would. */
final class CallRecords {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestApp app;

    CallRecords(TestApp app) {
        this.app = app;
    }

    JsonNode page(String query) {
        HttpResponse<String> response = app.get("/api/calls" + query);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/calls" + query + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    JsonNode latest() {
        JsonNode items = page("?limit=1").path("items");
        if (items.isEmpty()) {
            throw new AssertionError("no call recorded");
        }
        return call(items.get(0).path("id").asString());
    }

    JsonNode call(String id) {
        HttpResponse<String> response = app.get("/api/calls/" + id);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/calls/" + id + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Waits until the newest call satisfies the condition (the record is written as events arrive). */
    JsonNode awaitLatest(Predicate<JsonNode> condition, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = page("?limit=1").path("items");
            if (!items.isEmpty()) {
                last = call(items.get(0).path("id").asString());
                if (condition.test(last)) {
                    return last;
                }
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("latest call never became " + what + " within " + timeout + "; last seen: " + last);
    }

    /** Waits until the newest call's log has an event with this name and detail (e.g. "menu", "Main"). */
    JsonNode awaitLatestEvent(String event, String detail, Duration timeout) {
        return awaitLatest(call -> {
            for (JsonNode row : call.path("events")) {
                if (event.equals(row.path("event").asString()) && detail.equals(row.path("detail").asString())) {
                    return true;
                }
            }
            return false;
        }, timeout, event + " " + detail);
    }

    /** Waits until the call, as {@code user} sees it, satisfies the condition. */
    JsonNode awaitCall(String callId, String user, Predicate<JsonNode> condition, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = app.request("GET", "/api/calls/" + callId, null, app.token(user));
            if (response.statusCode() == 200) {
                last = JSON.readTree(response.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            TestApp.sleep(100);
        }
        throw new AssertionError("call " + callId + " never became " + what + " within " + timeout + "; last seen: " + last);
    }

    static boolean endedWithRecording(JsonNode call) {
        return ended(call) && !call.path("recordingUrl").isNull();
    }

    static boolean ended(JsonNode call) {
        return "ENDED".equals(call.path("state").asString());
    }
}
