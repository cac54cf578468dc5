package io.callcenter.dialer.telnyx;

import io.callcenter.dialer.CallControl;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Telnyx Call Control commands over the JDK's HTTP client. Every command carries a {@code command_id} derived from
 * the attempt, so a retry (ours after a 429/5xx, or a replay within a minute of a crash) is deduplicated by Telnyx
 * rather than dialling a lead twice; Telnyx forgets a command_id after 60 s, so later replays must check first.
 */
public class TelnyxClient implements CallControl {

    private static final Logger log = LoggerFactory.getLogger(TelnyxClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A rate limit resetting later than this is not waited out here: the caller is told when to come back. */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);
    /** Authentication failed, authorization failed. */
    private static final Set<String> ACCOUNT_CODES = Set.of("10009", "10010");
    /** Inactive phone number, invalid phone number, not +E.164: the lead's number when they point at {@code /to}. */
    private static final Set<String> NUMBER_CODES = Set.of("10001", "10002", "10016");

    private final TelnyxProperties properties;
    private final HttpClient http;
    private final Duration firstBackoff;
    private final Clock clock;

    public TelnyxClient(TelnyxProperties properties, Duration firstBackoff, Clock clock) {
        this.properties = properties;
        this.firstBackoff = firstBackoff;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
    }

    @Override
    public String dial(Dial dial) {
        ObjectNode body = JSON.createObjectNode()
                .put("connection_id", properties.connectionId())
                .put("from", dial.from())
                .put("to", dial.to())
                .put("answering_machine_detection", dial.answeringMachineDetection())
                .put("client_state", clientState(dial.attemptId()))
                .put("command_id", "dial-" + dial.attemptId())
                .put("timeout_secs", properties.ringTimeout().toSeconds())
                .put("time_limit_secs", dial.timeLimitSeconds());
        if (!"premium".equals(dial.answeringMachineDetection())) {
            // The greeting's end starts the rule's 2 s: ask for a known silence so the record can place it.
            body.putObject("answering_machine_detection_config")
                    .put("after_greeting_silence_millis", dial.afterGreetingSilenceMillis());
        }
        if (properties.webhookUrl() != null && !properties.webhookUrl().isBlank()) {
            body.put("webhook_url", properties.webhookUrl());
        }
        JsonNode response = send("POST", "/v2/calls", body);
        String callControlId = response.path("data").path("call_control_id").asString(null);
        if (callControlId == null) {
            throw new Refused(0, Fault.UNAVAILABLE, null, "Telnyx answered the dial without a call_control_id");
        }
        return callControlId;
    }

    /**
     * The new leg carries the attempt as well ({@code target_leg_client_state}): a failed transfer arrives as that
     * leg's {@code call.hangup}, which must be recognised as ours.
     */
    @Override
    public void transfer(String callControlId, UUID attemptId) {
        send("POST", action(callControlId, "transfer"), JSON.createObjectNode()
                .put("to", "sip:attempt-" + attemptId + "@" + properties.sipHost())
                .put("client_state", clientState(attemptId))
                .put("target_leg_client_state", clientState(attemptId))
                .put("command_id", "transfer-" + attemptId));
    }

    @Override
    public void hangup(String callControlId, UUID attemptId) {
        send("POST", action(callControlId, "hangup"), JSON.createObjectNode()
                .put("client_state", clientState(attemptId))
                .put("command_id", "hangup-" + attemptId));
    }

    @Override
    public void speak(String callControlId, UUID attemptId, String text, int take) {
        send("POST", action(callControlId, "speak"), JSON.createObjectNode()
                .put("payload", text)
                .put("voice", "female")
                .put("language", "en-US")
                .put("client_state", clientState(attemptId))
                .put("command_id", "speak-" + attemptId + (take > 1 ? "-" + take : "")));
    }

    @Override
    public Optional<Boolean> alive(String callControlId) {
        try {
            JsonNode data = send("GET", "/v2/calls/" + pathId(callControlId), null).path("data");
            return data.has("is_alive") ? Optional.of(data.path("is_alive").asBoolean()) : Optional.empty();
        } catch (Refused e) {
            // A call Telnyx no longer knows is over; anything else leaves the question open.
            return e.status() == 404 ? Optional.of(false) : Optional.empty();
        }
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
        return "/v2/calls/" + pathId(callControlId) + "/actions/" + action;
    }

    private static String pathId(String callControlId) {
        return java.net.URLEncoder.encode(callControlId, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, ObjectNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(properties.baseUrl() + path))
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Accept", "application/json");
        HttpRequest request = body == null ? builder.GET().build() : builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        Duration backoff = firstBackoff;
        Refused last = null;
        for (int attempt = 1; attempt <= properties.maxRetries(); attempt++) {
            Duration wait = backoff;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
                }
                String message = method + " " + path + " -> " + status + " " + abbreviate(response.body());
                if (status == 429) {
                    Instant retryAt = rateLimitReset(response.headers().firstValue("x-ratelimit-reset").orElse(null));
                    last = new Refused(status, Fault.RATE_LIMITED, retryAt, message);
                    wait = Duration.between(clock.instant(), retryAt);
                    if (wait.compareTo(LONGEST_WAIT) > 0) {
                        throw last;
                    }
                    wait = wait.isNegative() ? Duration.ZERO : wait;
                } else if (status >= 400 && status < 500) {
                    throw new Refused(status, classify(status, response.body()), null, message);
                } else {
                    last = new Refused(status, Fault.UNAVAILABLE, null, message);
                }
            } catch (IOException e) {
                last = new Refused(0, Fault.UNAVAILABLE, null, method + " " + path + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refused(0, Fault.UNAVAILABLE, null, "interrupted");
            }
            if (attempt < properties.maxRetries()) {
                log.warn("{}; retrying in {} ms", last.getMessage(), wait.toMillis());
                sleep(wait);
                backoff = backoff.multipliedBy(2);
            }
        }
        throw last;
    }

    /**
     * Who is at fault, from Telnyx's {@code errors[].code} and {@code source.pointer}: only an invalid or inactive
     * number (pointed at {@code /to} or at nothing) is the lead's; authentication, caller ID, connection and any
     * request we cannot get right are ours, and must not close leads one after another.
     */
    static Fault classify(int status, String body) {
        if (status == 401 || status == 403) {
            return Fault.ACCOUNT;
        }
        JsonNode errors;
        try {
            errors = body == null || body.isBlank() ? JSON.createArrayNode() : JSON.readTree(body).path("errors");
        } catch (RuntimeException e) {
            return Fault.ACCOUNT;
        }
        boolean number = false;
        for (JsonNode error : errors) {
            String code = error.path("code").asString("");
            String pointer = error.path("source").path("pointer").asString("");
            if (ACCOUNT_CODES.contains(code) || pointer.equals("/from") || pointer.equals("/connection_id")) {
                return Fault.ACCOUNT;
            }
            number |= NUMBER_CODES.contains(code) || pointer.equals("/to");
        }
        return number ? Fault.NUMBER : Fault.ACCOUNT;
    }

    /** {@code x-ratelimit-reset}: seconds until the window resets, or the reset as Unix seconds if that large. */
    private Instant rateLimitReset(String value) {
        Instant now = clock.instant();
        if (value == null) {
            return now.plus(firstBackoff);
        }
        try {
            long number = Long.parseLong(value.strip());
            return number > 1_000_000_000L ? Instant.ofEpochSecond(number) : now.plusSeconds(number);
        } catch (NumberFormatException e) {
            return now.plus(firstBackoff);
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
