package io.callcenter.dialer.telnyx;

import io.callcenter.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Telnyx's webhooks: verified, stored in the inbox and acknowledged at once; the dialer applies them afterwards. A
 * refused webhook changes nothing.
 */
@RestController
class TelnyxWebhookController {

    private static final Logger log = LoggerFactory.getLogger(TelnyxWebhookController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final WebhookSignature signature;
    private final TelnyxInbox inbox;
    private final Clock clock;

    TelnyxWebhookController(WebhookSignature signature, TelnyxInbox inbox, Clock dialerClock) {
        this.signature = signature;
        this.inbox = inbox;
        this.clock = dialerClock;
    }

    @PostMapping("/webhooks/telnyx")
    ResponseEntity<Map<String, Object>> receive(@RequestHeader(value = "telnyx-timestamp", required = false) String timestamp,
                                                @RequestHeader(value = "telnyx-signature-ed25519", required = false) String sig,
                                                jakarta.servlet.http.HttpServletRequest request) throws java.io.IOException {
        // Unauthenticated until the signature is checked, so read no more than a webhook ever is (a few KiB).
        byte[] body = io.callcenter.web.BodyLimit.readSmall(request, MAX_BODY_BYTES);
        Instant now = clock.instant();
        signature.verify(timestamp, sig, body, now);
        String text = new String(body, StandardCharsets.UTF_8);
        TelnyxEvent event = parse(text);
        boolean fresh;
        try {
            fresh = inbox.store(event, text, now);
        } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
            // Acknowledged only once stored: a 503 makes Telnyx deliver it again later.
            log.warn("telnyx {} {} not stored ({}): answered 503 so that Telnyx retries", event.type(), event.eventId(),
                    e.getMessage());
            throw new ApiProblem(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "inbox-unavailable",
                    "Webhook not stored", "The webhook could not be stored; deliver it again later")
                    .header("Retry-After", "5");
        }
        log.debug("telnyx {} {} for attempt {}{}", event.type(), event.eventId(), event.attemptId(), fresh ? "" : " (redelivery)");
        return ResponseEntity.ok(Map.of("received", event.eventId(), "duplicate", !fresh));
    }

    static TelnyxEvent parse(String body) {
        JsonNode data;
        try {
            data = JSON.readTree(body).path("data");
        } catch (JacksonException e) {
            throw ApiProblem.badRequest("The webhook body is not JSON");
        }
        String id = data.path("id").asString(null);
        String type = data.path("event_type").asString(null);
        String occurred = data.path("occurred_at").asString(null);
        if (id == null || type == null || occurred == null) {
            throw ApiProblem.badRequest("The webhook lacks data.id, data.event_type or data.occurred_at");
        }
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(occurred);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("data.occurred_at is not an ISO-8601 instant");
        }
        JsonNode payload = data.path("payload");
        return new TelnyxEvent(id, type, occurredAt, payload.path("call_control_id").asString(null),
                TelnyxClient.attemptIdOf(payload.path("client_state").asString(null)),
                payload.has("result") ? payload.path("result").asString(null)
                        : payload.has("digit") ? payload.path("digit").asString(null) : payload.path("status").asString(null),
                payload.path("hangup_cause").asString(null),
                payload.path("hangup_source").asString(null));
    }
}
