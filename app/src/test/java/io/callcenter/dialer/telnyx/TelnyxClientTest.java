package io.callcenter.dialer.telnyx;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TelnyxClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer server;
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private TelnyxClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getRawPath());
                bodies.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                int status = statuses.isEmpty() ? 200 : statuses.poll();
                byte[] body = (status == 200 ? "{\"data\":{\"call_control_id\":\"v3:abc\"}}" : "{\"errors\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
                if (status == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "0");
                }
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        TelnyxProperties properties = new TelnyxProperties("http://127.0.0.1:" + server.getAddress().getPort() + "/",
                "key", "conn-9", "pbx.example.com", null, "https://us.example.com/webhooks/telnyx", Duration.ofSeconds(20),
                null, Duration.ofSeconds(2), 4);
        client = new TelnyxClient(properties, Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void a_dial_carries_detection_the_attempt_and_a_ring_time_of_at_least_15_seconds() {
        UUID attempt = UUID.randomUUID();
        assertThat(client.dial(new TelnyxClient.Dial(attempt, "+15550100", "+12125550101", "premium", 800))).isEqualTo("v3:abc");
        JsonNode body = bodies.getFirst();
        assertThat(paths).containsExactly("/v2/calls");
        assertThat(body.path("connection_id").asString()).isEqualTo("conn-9");
        assertThat(body.path("answering_machine_detection").asString()).isEqualTo("premium");
        assertThat(TelnyxClient.attemptIdOf(body.path("client_state").asString())).isEqualTo(attempt);
        assertThat(body.path("command_id").asString()).isEqualTo("dial-" + attempt);
        assertThat(body.path("timeout_secs").asInt()).isEqualTo(20);
        assertThat(body.path("webhook_url").asString()).isEqualTo("https://us.example.com/webhooks/telnyx");
        assertThat(body.has("answering_machine_detection_config")).as("premium takes no greeting silence").isFalse();
    }

    @Test
    void other_detection_modes_are_asked_for_the_greeting_silence_the_record_assumes() {
        client.dial(new TelnyxClient.Dial(UUID.randomUUID(), "+15550100", "+12125550101", "detect", 750));
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
        TelnyxClient.CommandFailed refused = catchThrowableOfType(TelnyxClient.CommandFailed.class,
                () -> client.hangup("v3:abc", UUID.randomUUID()));
        assertThat(refused.permanent()).isTrue();
        assertThat(bodies).hasSize(1);

        statuses.addAll(List.of(503, 503, 503, 503));
        TelnyxClient.CommandFailed down = catchThrowableOfType(TelnyxClient.CommandFailed.class,
                () -> client.hangup("v3:abc", UUID.randomUUID()));
        assertThat(down.permanent()).isFalse();
        assertThat(bodies).hasSize(5);
    }

    @Test
    void client_state_that_is_not_ours_is_no_attempt() {
        assertThat(TelnyxClient.attemptIdOf(null)).isNull();
        assertThat(TelnyxClient.attemptIdOf("aGVsbG8=")).isNull();
        assertThat(TelnyxClient.attemptIdOf("%%%")).isNull();
    }
}
