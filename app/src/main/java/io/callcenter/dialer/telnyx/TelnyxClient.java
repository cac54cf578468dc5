package io.callcenter.dialer.telnyx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * Telnyx Call Control commands over the JDK's HTTP client. Every command carries a {@code command_id} derived from
 * the attempt, so a retry (ours after a 429/5xx, or a replay after a crash) is deduplicated by Telnyx rather than
 * dialling a lead twice.
 */
public class TelnyxClient {

    private static final Logger log = LoggerFactory.getLogger(TelnyxClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A command Telnyx refused for good (4xx other than 429), or that kept failing. */
    public static class CommandFailed extends RuntimeException {
        private final int status;

        public CommandFailed(int status, String message) {
            super(message);
            this.status = status;
        }

        /** 0 when Telnyx could not be reached. */
        public int status() {
            return status;
        }

        public boolean permanent() {
            return status >= 400 && status < 500 && status != 429;
        }
    }

    /**
     * @param afterGreetingSilenceMillis the silence after a greeting detection waits for before deciding; premium
     *                                   does not take it (it accepts only total_analysis_time_millis and
     *                                   greeting_duration_millis), the other modes do
     */
    public record Dial(UUID attemptId, String from, String to, String answeringMachineDetection,
                       int afterGreetingSilenceMillis) {
    }

    private final TelnyxProperties properties;
    private final HttpClient http;
    private final Duration firstBackoff;

    public TelnyxClient(TelnyxProperties properties, Duration firstBackoff) {
        this.properties = properties;
        this.firstBackoff = firstBackoff;
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
    }

    /** Places the call; returns Telnyx's {@code call_control_id}. */
    public String dial(Dial dial) {
        ObjectNode body = JSON.createObjectNode()
                .put("connection_id", properties.connectionId())
                .put("from", dial.from())
                .put("to", dial.to())
                .put("answering_machine_detection", dial.answeringMachineDetection())
                .put("client_state", clientState(dial.attemptId()))
                .put("command_id", "dial-" + dial.attemptId())
                .put("timeout_secs", properties.ringTimeout().toSeconds());
        if (!"premium".equals(dial.answeringMachineDetection())) {
            // The greeting's end starts the rule's 2 s: ask for a known silence so the record can place it.
            body.putObject("answering_machine_detection_config")
                    .put("after_greeting_silence_millis", dial.afterGreetingSilenceMillis());
        }
        if (properties.webhookUrl() != null && !properties.webhookUrl().isBlank()) {
            body.put("webhook_url", properties.webhookUrl());
        }
        JsonNode response = post("/v2/calls", body);
        String callControlId = response.path("data").path("call_control_id").asString(null);
        if (callControlId == null) {
            throw new CommandFailed(0, "Telnyx answered the dial without a call_control_id");
        }
        return callControlId;
    }

    /** Sends the answered person to our Asterisk, which connects them to the reserved agent. */
    public void transfer(String callControlId, UUID attemptId) {
        post(action(callControlId, "transfer"), JSON.createObjectNode()
                .put("to", "sip:attempt-" + attemptId + "@" + properties.sipHost())
                .put("client_state", clientState(attemptId))
                .put("command_id", "transfer-" + attemptId));
    }

    public void hangup(String callControlId, UUID attemptId) {
        post(action(callControlId, "hangup"), JSON.createObjectNode()
                .put("client_state", clientState(attemptId))
                .put("command_id", "hangup-" + attemptId));
    }

    /** Reads the campaign's voicemail message into the machine after its greeting. */
    public void speak(String callControlId, UUID attemptId, String text) {
        post(action(callControlId, "speak"), JSON.createObjectNode()
                .put("payload", text)
                .put("voice", "female")
                .put("language", "en-US")
                .put("client_state", clientState(attemptId))
                .put("command_id", "speak-" + attemptId));
    }

    public static String clientState(UUID attemptId) {
        return Base64.getEncoder().encodeToString(attemptId.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The attempt id in a webhook's {@code client_state}; null if it is not one of ours. */
    public static UUID attemptIdOf(String clientState) {
        if (clientState == null || clientState.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(new String(Base64.getDecoder().decode(clientState), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String action(String callControlId, String action) {
        return "/v2/calls/" + java.net.URLEncoder.encode(callControlId, StandardCharsets.UTF_8) + "/actions/" + action;
    }

    private JsonNode post(String path, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(properties.baseUrl() + path))
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        Duration backoff = firstBackoff;
        CommandFailed last = null;
        for (int attempt = 1; attempt <= properties.maxRetries(); attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
                }
                last = new CommandFailed(status, "POST " + path + " -> " + status + " " + abbreviate(response.body()));
                if (last.permanent()) {
                    throw last;
                }
                backoff = response.headers().firstValue("Retry-After").map(TelnyxClient::seconds)
                        .filter(retryAfter -> retryAfter.compareTo(Duration.ofSeconds(5)) <= 0).orElse(backoff);
            } catch (IOException e) {
                last = new CommandFailed(0, "POST " + path + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailed(0, "interrupted");
            }
            if (attempt < properties.maxRetries()) {
                log.warn("{}; retrying in {} ms", last.getMessage(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        throw last;
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
