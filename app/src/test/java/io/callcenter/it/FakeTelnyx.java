package io.callcenter.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Telnyx Call Control: accepts the app's commands (dial, transfer, hangup, speak, and GET of a call)
 * and sends webhooks signed with a test Ed25519 key, as Telnyx would. Tests play the carrier's side of each call by
 * hand. As Telnyx does (see the reference's corrections): a refused request carries {@code errors[].code}; a rate
 * limit answers 429 with {@code x-ratelimit-*} headers, never Retry-After; a transfer's new leg has its own
 * call_control_id and reports with the transfer's {@code target_leg_client_state}.
 */
final class FakeTelnyx implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A call the app placed. */
    record Dial(String callControlId, String to, String from, String amd, String clientState, UUID attemptId, JsonNode body) {
    }

    /** A call command (transfer, hangup, speak) the app sent. */
    record Action(String callControlId, String action, JsonNode body) {
    }

    private final HttpServer server;
    private final KeyPair keys;
    private final HttpClient http = TestTls.httpClient();
    private final BlockingQueue<Dial> dials = new LinkedBlockingQueue<>();
    private final List<Action> actions = new CopyOnWriteArrayList<>();
    /** Answer this many of the next requests with 503, to exercise the client's retries. */
    final AtomicInteger failNext = new AtomicInteger();
    /** Answer this many of the next requests with 429 (code 10011), the window resetting a second later. */
    final AtomicInteger rateLimitNext = new AtomicInteger();
    final AtomicInteger rateLimited = new AtomicInteger();
    /** The API key Telnyx accepts; anything else is refused with 401 and code 10009, as a revoked key would be. */
    volatile String acceptedApiKey = "test-api-key";
    /** Calls that ended, as GET /v2/calls/{id} reports them. */
    private final java.util.Set<String> ended = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger requests = new AtomicInteger();
    private volatile String webhookUrl;
    /** Telnyx's time on its webhooks: the app's dialer clock when a test sets the day (as NTP keeps them together). */
    volatile java.time.Clock clock = java.time.Clock.systemUTC();

    FakeTelnyx() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/calls", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The raw 32-byte public key, base64, as Telnyx's portal shows it. */
    String publicKey() {
        byte[] der = keys.getPublic().getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    /** The signing key, PKCS#8 base64, for a load generator in another process (IntakeBenchIT). */
    String privateKeyPkcs8() {
        return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }

    void webhooksTo(String url) {
        this.webhookUrl = url;
    }

    void webhooksTo(TestApp app) {
        webhooksTo(app.baseUrl() + "/webhooks/telnyx");
    }

    /**
     * The app's settings for dialling through this stand-in (the key it accepts, a connection, its public key,
     * transfers to our own Asterisk), with a quick pacing tick and inbox hold, plus the test's own.
     */
    Map<String, String> appSettings(Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "callcenter.telnyx.base-url", baseUrl(),
                "callcenter.telnyx.api-key", "test-api-key",
                "callcenter.telnyx.connection-id", "conn-1",
                "callcenter.telnyx.public-key", publicKey(),
                "callcenter.telnyx.sip-host", "127.0.0.1",
                "callcenter.dialer.tick", "200ms",
                // Tests run at any hour; the deployment's lawful window is a setting (08:00-21:00 by default).
                "callcenter.dialer.lawful-calling-hours", "00:00-23:59",
                "callcenter.dialer.inbox-hold", "200ms"));
        settings.putAll(more);
        return Map.copyOf(settings);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!("Bearer " + acceptedApiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"errors\":[{\"code\":\"10009\",\"title\":\"Authentication failed\","
                        + "\"detail\":\"The API key is invalid or revoked.\"}]}");
                return;
            }
            if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                rateLimited.incrementAndGet();
                exchange.getResponseHeaders().add("x-ratelimit-limit", "30");
                exchange.getResponseHeaders().add("x-ratelimit-remaining", "0");
                exchange.getResponseHeaders().add("x-ratelimit-reset", "1");
                respond(exchange, 429, "{\"errors\":[{\"code\":\"10011\",\"title\":\"Too many requests\"}]}");
                return;
            }
            if (exchange.getRequestMethod().equals("GET")) {
                String id = java.net.URLDecoder.decode(exchange.getRequestURI().getPath().split("/")[3], StandardCharsets.UTF_8);
                respond(exchange, 200, "{\"data\":{\"call_control_id\":\"" + id + "\",\"record_type\":\"call\",\"is_alive\":"
                        + !ended.contains(id) + "}}");
                return;
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(exchange, 503, "{\"errors\":[{\"title\":\"Service unavailable\"}]}");
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v2/calls")) {
                String ccid = "v3:" + UUID.randomUUID();
                String state = body.path("client_state").asString();
                UUID attemptId = UUID.fromString(new String(Base64.getDecoder().decode(state), StandardCharsets.US_ASCII));
                dials.add(new Dial(ccid, body.path("to").asString(), body.path("from").asString(),
                        body.path("answering_machine_detection").asString(), state, attemptId, body));
                respond(exchange, 200, "{\"data\":{\"call_control_id\":\"" + ccid + "\",\"call_leg_id\":\"" + UUID.randomUUID()
                        + "\",\"call_session_id\":\"" + UUID.randomUUID() + "\",\"record_type\":\"call\"}}");
                return;
            }
            String[] parts = path.split("/");
            // /v2/calls/{id}/actions/{action}
            actions.add(new Action(java.net.URLDecoder.decode(parts[3], StandardCharsets.UTF_8), parts[5], body));
            respond(exchange, 200, "{\"data\":{\"result\":\"ok\"}}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    Dial awaitDial(Duration timeout) throws InterruptedException {
        Dial dial = dials.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (dial == null) {
            throw new AssertionError("the app placed no call within " + timeout);
        }
        return dial;
    }

    Dial pollDial(Duration timeout) throws InterruptedException {
        return dials.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Action> actions(String callControlId) {
        return actions.stream().filter(a -> a.callControlId().equals(callControlId)).toList();
    }

    Action awaitAction(String callControlId, String action, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Action a : actions(callControlId)) {
                if (a.action().equals(action)) {
                    return a;
                }
            }
            TestApp.sleep(50);
        }
        throw new AssertionError("no " + action + " for " + callControlId + " within " + timeout + "; got " + actions(callControlId));
    }

    /**
     * The new leg a transfer creates, as its webhooks describe it: its own call_control_id, and the transfer's
     * {@code target_leg_client_state} (null if the app sent none).
     */
    Dial newLeg(Dial dial, Action transfer) {
        String state = transfer.body().path("target_leg_client_state").asString(null);
        UUID attemptId = state == null ? null
                : UUID.fromString(new String(Base64.getDecoder().decode(state), StandardCharsets.US_ASCII));
        return new Dial("v3:" + UUID.randomUUID(), transfer.body().path("to").asString(), dial.to(), null, state, attemptId,
                transfer.body());
    }

    /** The call is over as far as GET /v2/calls/{id} is concerned. */
    void ended(Dial dial) {
        ended.add(dial.callControlId());
    }

    // ------------------------------------------------------------------ webhooks

    /** A webhook envelope for the call, with a fresh event id. */
    ObjectNode event(Dial dial, String type, Instant occurredAt, Map<String, String> extra) {
        ObjectNode envelope = JSON.createObjectNode();
        ObjectNode data = envelope.putObject("data");
        data.put("record_type", "event").put("event_type", type).put("id", UUID.randomUUID().toString())
                .put("occurred_at", occurredAt.toString());
        ObjectNode payload = data.putObject("payload");
        payload.put("call_control_id", dial.callControlId()).put("call_leg_id", "leg-" + dial.callControlId())
                .put("call_session_id", "session-" + dial.callControlId()).put("connection_id", "conn-1")
                .put("client_state", dial.clientState()).put("from", dial.from()).put("to", dial.to())
                .put("direction", "outgoing");
        extra.forEach(payload::put);
        envelope.putObject("meta").put("attempt", 1).put("delivered_to", webhookUrl);
        return envelope;
    }

    /** Signs with the test key and delivers; returns the app's answer. */
    HttpResponse<String> deliver(ObjectNode envelope) {
        return deliver(JSON.writeValueAsString(envelope), clock.instant().getEpochSecond(), true);
    }

    HttpResponse<String> deliver(String body, long timestamp, boolean signCorrectly) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(signCorrectly ? keys.getPrivate() : KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
            signer.update((timestamp + "|" + body).getBytes(StandardCharsets.UTF_8));
            String signature = Base64.getEncoder().encodeToString(signer.sign());
            HttpRequest request = HttpRequest.newBuilder(URI.create(webhookUrl))
                    .header("Content-Type", "application/json")
                    .header("telnyx-timestamp", Long.toString(timestamp))
                    .header("telnyx-signature-ed25519", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("webhook delivery failed", e);
        }
    }

    /** Sends an event now and expects the app to take it. */
    ObjectNode send(Dial dial, String type, Map<String, String> extra) {
        ObjectNode envelope = event(dial, type, clock.instant(), extra);
        HttpResponse<String> response = deliver(envelope);
        if (response.statusCode() != 200) {
            throw new AssertionError(type + " -> " + response.statusCode() + " " + response.body());
        }
        return envelope;
    }

    /** The call is answered and premium detection reports who answered (human_residence, machine, not_sure, ...). */
    void answeredBy(Dial dial, String result) {
        send(dial, "call.answered", Map.of());
        send(dial, "call.machine.premium.detection.ended", Map.of("result", result));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
