package io.callcenter.dialer.telnyx;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import io.callcenter.dialer.CallControl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TelnyxClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private HttpServer server;
    private final Deque<Integer> statuses = new ArrayDeque<>();
    /** Bodies of the next refusals; an empty error list when none is queued. */
    private final Deque<String> errorBodies = new ArrayDeque<>();
    private volatile String rateLimitReset = "0";
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private TelnyxClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getRawPath());
                methods.add(exchange.getRequestMethod());
                byte[] request = exchange.getRequestBody().readAllBytes();
                bodies.add(request.length == 0 ? JSON.createObjectNode() : JSON.readTree(request));
                int status = statuses.isEmpty() ? 200 : statuses.poll();
                String ok = exchange.getRequestMethod().equals("GET") ? "{\"data\":{\"is_alive\":false}}"
                        : "{\"data\":{\"call_control_id\":\"v3:abc\"}}";
                byte[] body = (status == 200 ? ok : errorBodies.isEmpty() ? "{\"errors\":[]}" : errorBodies.poll())
                        .getBytes(StandardCharsets.UTF_8);
                if (status == 429) {
                    // Telnyx's rate-limit headers; a Retry-After that says otherwise is not Telnyx's and is ignored.
                    exchange.getResponseHeaders().add("x-ratelimit-reset", rateLimitReset);
                    exchange.getResponseHeaders().add("Retry-After", "3600");
                }
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        TelnyxProperties properties = new TelnyxProperties("http://127.0.0.1:" + server.getAddress().getPort() + "/",
                "key", "conn-9", "pbx.example.com", null, "https://us.example.com/webhooks/telnyx", Duration.ofSeconds(20),
                null, Duration.ofSeconds(2), 4);
        client = new TelnyxClient(properties, Duration.ofMillis(10), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void a_dial_carries_detection_the_attempt_and_a_ring_time_of_at_least_15_seconds() {
        UUID attempt = UUID.randomUUID();
        assertThat(client.dial(new CallControl.Dial(attempt, "+15550100", "+12125550101", "premium", 800, 14_400))).isEqualTo("v3:abc");
        JsonNode body = bodies.getFirst();
        assertThat(paths).containsExactly("/v2/calls");
        assertThat(body.path("connection_id").asString()).isEqualTo("conn-9");
        assertThat(body.path("answering_machine_detection").asString()).isEqualTo("premium");
        assertThat(TelnyxClient.attemptIdOf(body.path("client_state").asString())).isEqualTo(attempt);
        assertThat(body.path("command_id").asString()).isEqualTo("dial-" + attempt);
        assertThat(body.path("timeout_secs").asInt()).isEqualTo(20);
        assertThat(body.path("time_limit_secs").asInt()).as("set explicitly: Telnyx's cap, not a default")
                .isEqualTo(14_400);
        assertThat(body.path("webhook_url").asString()).isEqualTo("https://us.example.com/webhooks/telnyx");
        assertThat(body.has("answering_machine_detection_config")).as("premium takes no greeting silence").isFalse();
    }

    @Test
    void other_detection_modes_are_asked_for_the_greeting_silence_the_record_assumes() {
        client.dial(new CallControl.Dial(UUID.randomUUID(), "+15550100", "+12125550101", "detect", 750, 14_400));
        assertThat(bodies.getFirst().path("answering_machine_detection_config").path("after_greeting_silence_millis").asInt())
                .isEqualTo(750);
    }

    @Test
    void rate_limits_and_server_errors_are_retried_with_the_same_command_id() {
        statuses.addAll(List.of(429, 503, 500));
        UUID attempt = UUID.randomUUID();
        client.transfer("v3:abc", attempt);
        assertThat(bodies).hasSize(4);
        assertThat(bodies).extracting(b -> b.path("command_id").asString()).containsOnly("transfer-" + attempt);
        assertThat(bodies.getFirst().path("to").asString()).isEqualTo("sip:attempt-" + attempt + "@pbx.example.com");
        assertThat(paths.getFirst()).isEqualTo("/v2/calls/v3%3Aabc/actions/transfer");
    }

    @Test
    void a_refusal_is_not_retried_and_persistent_failures_give_up() {
        statuses.add(422);
        CallControl.Refused refused = catchThrowableOfType(CallControl.Refused.class,
                () -> client.hangup("v3:abc", UUID.randomUUID()));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(bodies).hasSize(1);

        statuses.addAll(List.of(503, 503, 503, 503));
        CallControl.Refused down = catchThrowableOfType(CallControl.Refused.class,
                () -> client.hangup("v3:abc", UUID.randomUUID()));
        assertThat(down.fault()).isEqualTo(CallControl.Fault.UNAVAILABLE);
        assertThat(bodies).hasSize(5);
    }

    @Test
    void client_state_that_is_not_ours_is_no_attempt() {
        assertThat(TelnyxClient.attemptIdOf(null)).isNull();
        assertThat(TelnyxClient.attemptIdOf("aGVsbG8=")).isNull();
        assertThat(TelnyxClient.attemptIdOf("%%%")).isNull();
    }

    @Test
    void a_transfer_tags_the_new_leg_with_the_attempt() {
        UUID attempt = UUID.randomUUID();
        client.transfer("v3:abc", attempt);
        assertThat(TelnyxClient.attemptIdOf(bodies.getFirst().path("target_leg_client_state").asString())).isEqualTo(attempt);
    }

    @Test
    void a_repeated_message_has_its_own_command_id_so_the_carrier_does_not_drop_it_as_a_duplicate() {
        UUID attempt = UUID.randomUUID();
        client.speak("v3:abc", attempt, "hello", 1);
        client.speak("v3:abc", attempt, "hello", 2);
        assertThat(bodies).extracting(b -> b.path("command_id").asString()).containsExactly("speak-" + attempt, "speak-" + attempt + "-2");
    }

    @Test
    void a_rate_limit_resetting_later_than_the_client_waits_is_handed_back_with_its_reset_time() {
        rateLimitReset = "60";
        statuses.add(429);
        CallControl.Refused limited = catchThrowableOfType(CallControl.Refused.class,
                () -> client.dial(new CallControl.Dial(UUID.randomUUID(), "+15550100", "+12125550101", "premium", 800, 14_400)));
        assertThat(limited.fault()).isEqualTo(CallControl.Fault.RATE_LIMITED);
        assertThat(limited.retryAt()).as("x-ratelimit-reset, not Retry-After").isEqualTo(NOW.plusSeconds(60));
        assertThat(bodies).hasSize(1);
    }

    @Test
    void refusals_are_the_leads_fault_only_for_its_number() {
        record Case(int status, String body, CallControl.Fault fault) {
        }
        List<Case> cases = List.of(
                new Case(401, "{\"errors\":[{\"code\":\"10009\",\"title\":\"Authentication failed\"}]}", CallControl.Fault.ACCOUNT),
                new Case(403, "{\"errors\":[{\"code\":\"10010\"}]}", CallControl.Fault.ACCOUNT),
                new Case(422, "{\"errors\":[{\"code\":\"10002\",\"source\":{\"pointer\":\"/from\"}}]}", CallControl.Fault.ACCOUNT),
                new Case(422, "{\"errors\":[{\"code\":\"10017\",\"source\":{\"pointer\":\"/connection_id\"}}]}", CallControl.Fault.ACCOUNT),
                new Case(422, "{\"errors\":[{\"code\":\"10015\",\"title\":\"Bad Request\"}]}", CallControl.Fault.ACCOUNT),
                new Case(422, "{\"errors\":[{\"code\":\"10002\",\"source\":{\"pointer\":\"/to\"}}]}", CallControl.Fault.NUMBER),
                new Case(422, "{\"errors\":[{\"code\":\"10001\",\"title\":\"Inactive phone number\"}]}", CallControl.Fault.NUMBER));
        for (Case c : cases) {
            statuses.add(c.status());
            errorBodies.add(c.body());
            CallControl.Refused refused = catchThrowableOfType(CallControl.Refused.class,
                    () -> client.dial(new CallControl.Dial(UUID.randomUUID(), "+15550100", "+12125550101", "premium", 800, 14_400)));
            assertThat(refused.fault()).as(c.body()).isEqualTo(c.fault());
        }
        assertThat(bodies).as("a refusal is not retried").hasSize(cases.size());
    }

    @Test
    void the_carrier_is_asked_whether_a_call_is_still_up() {
        assertThat(client.alive("v3:abc")).contains(false);
        assertThat(methods).containsExactly("GET");
        assertThat(paths).containsExactly("/v2/calls/v3%3Aabc");
        statuses.add(404);
        assertThat(client.alive("v3:abc")).as("a call Telnyx no longer knows").contains(false);
        statuses.addAll(List.of(503, 503, 503, 503));
        assertThat(client.alive("v3:abc")).as("no answer: unknown").isEmpty();
    }
}
