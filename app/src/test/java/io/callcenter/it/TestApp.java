package io.callcenter.it;

import io.callcenter.CallCenterApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The real application, started as a whole (Spring context, ARI connection, database) against the test Asterisk
 * and PostgreSQL. Tests start and stop it themselves so they can kill it mid-call and start it again.
 */
final class TestApp implements AutoCloseable {

    static final String AGENT_PASSWORD = "it-agent-password-0001";
    static final String USER_PASSWORD = "it-user-password-0001";
    static final String DEMO_DID = "+15550100";

    private final ConfigurableApplicationContext context;
    private final HttpClient http = TestTls.httpClient();
    private final String scheme;

    /** Set for an app in another process ({@link ChildApp}): reached over HTTP only, no beans. */
    private final String remoteBaseUrl;

    private TestApp(ConfigurableApplicationContext context, String scheme) {
        this(context, scheme, null);
    }

    private TestApp(ConfigurableApplicationContext context, String scheme, String remoteBaseUrl) {
        this.context = context;
        this.scheme = scheme;
        this.remoteBaseUrl = remoteBaseUrl;
    }

    /** The HTTP side of an app running in another process. */
    static TestApp remote(String baseUrl) {
        return new TestApp(null, "http", baseUrl);
    }

    /**
     * Over HTTPS with the development CA's certificate and the softphone on Asterisk's wss:// socket, as a browser
     * on another machine than the server needs it (a microphone only on secure pages).
     */
    static TestApp startTls(String databaseUrl, TestAsterisk asterisk, Map<String, String> overrides) {
        return startTls(databaseUrl, asterisk, overrides, null);
    }

    /** Over HTTPS as above, with the dialer's own clock (see {@link #start(String, TestAsterisk, Map, java.time.Clock)}). */
    static TestApp startTls(String databaseUrl, TestAsterisk asterisk, Map<String, String> overrides,
                            java.time.Clock dialerClock) {
        Map<String, String> settings = new java.util.HashMap<>(TestTls.appSettings());
        settings.putAll(overrides);
        return start(databaseUrl, asterisk, settings, dialerClock);
    }

    static TestApp start(String databaseUrl, TestAsterisk asterisk) {
        return start(databaseUrl, asterisk, Map.of());
    }

    /**
     * @param overrides e.g. {@code callcenter.demo.agent-phone=webrtc} for browser tests; the SIP integration tests
     *                  use SIP phones for the demo agents and no wrap-up, so one test's call never blocks the next
     */
    static TestApp start(String databaseUrl, TestAsterisk asterisk, Map<String, String> overrides) {
        return start(databaseUrl, asterisk, overrides, null);
    }

    /** @param dialerClock the app's clock (the dialer's and a queue callback's calling hours), or null for the real one */
    static TestApp start(String databaseUrl, TestAsterisk asterisk, Map<String, String> overrides,
                         java.time.Clock dialerClock) {
        TestApp app = startStandby(databaseUrl, asterisk, overrides, dialerClock);
        app.awaitAsteriskConnected(Duration.ofSeconds(30));
        return app;
    }

    /** Started without waiting for Asterisk: a second instance on the database stands by until it holds the floor. */
    static TestApp startStandby(String databaseUrl, TestAsterisk asterisk, Map<String, String> overrides,
                                java.time.Clock dialerClock) {
        Map<String, String> properties = properties(databaseUrl, asterisk, overrides);
        String[] args = arguments(properties);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(CallCenterApplication.class);
        if (dialerClock != null) {
            builder.initializers(c -> c.getBeanFactory().registerSingleton("dialerClock", dialerClock));
        }
        ConfigurableApplicationContext context = builder.run(args);
        return new TestApp(context, "true".equals(properties.get("server.ssl.enabled")) ? "https" : "http");
    }

    /** The settings every test app runs with, the test's own on top. */
    static Map<String, String> properties(String databaseUrl, TestAsterisk asterisk, Map<String, String> overrides) {
        TestDatabase database = TestDatabase.get();
        // Command-line arguments outrank application.yaml (builder properties would only be defaults).
        Map<String, String> properties = new java.util.LinkedHashMap<>(Map.of(
                        "server.port", "0",
                        "spring.datasource.url", databaseUrl,
                        "spring.datasource.username", database.user(),
                        "spring.datasource.password", database.password(),
                        "callcenter.ari.url", asterisk.ariUrl(),
                        "callcenter.ari.password", asterisk.ariPassword(),
                        "callcenter.demo.enabled", "true",
                        "callcenter.demo.agent-password", AGENT_PASSWORD,
                        "callcenter.calls.agent-ring-timeout", "8s"));
        properties.put("callcenter.demo.user-password", USER_PASSWORD);
        properties.put("callcenter.ami.password", asterisk.amiPassword());
        properties.put("callcenter.demo.agent-phone", "sip");
        properties.put("callcenter.demo.wrap-up", "0s");
        properties.put("callcenter.calls.recordings-directory", asterisk.recordingsDir().toString());
        properties.putAll(overrides);
        return properties;
    }

    static String[] arguments(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** http://127.0.0.1:port or, started with {@link #startTls}, https://127.0.0.1:port. */
    String baseUrl() {
        if (remoteBaseUrl != null) {
            return remoteBaseUrl;
        }
        return scheme + "://127.0.0.1:" + port();
    }

    /** A client that trusts the development CA (and nothing else), for requests of a test's own. */
    HttpClient http() {
        return http;
    }

    /** Publishes an application event as a module of the app would (benchmarks drive listeners this way). */
    void publish(Object event) {
        context.publishEvent(event);
    }

    /** Hears the app's events of a type as its modules do: on the thread that publishes them (a call's lane). */
    <T> void listen(Class<T> type, java.util.function.Consumer<T> listener) {
        context.addApplicationListener((org.springframework.context.ApplicationListener<org.springframework.context.ApplicationEvent>) event -> {
            if (event instanceof org.springframework.context.PayloadApplicationEvent<?> published
                    && type.isInstance(published.getPayload())) {
                listener.accept(type.cast(published.getPayload()));
            }
        });
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Every bean of the type, by name: for types the framework registers more than once. */
    <T> Map<String, T> beans(Class<T> type) {
        return context.getBeansOfType(type);
    }

    /** GET as the administrator (sees every call). */
    HttpResponse<String> get(String path) {
        return request("GET", path, null, token("admin"));
    }

    /** Any request with the given bearer token (null: none) and JSON body (null: none). */
    HttpResponse<String> request(String method, String path, String jsonBody, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** A binary GET (a recording) as a demo user; fails unless it answers 200. */
    byte[] download(String path, String user) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + token(user)).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** A bearer token of a demo user (all share {@link #USER_PASSWORD}). */
    String token(String username) {
        return tokens.computeIfAbsent(username, name -> {
            HttpResponse<String> response = request("POST", "/api/auth/login",
                    "{\"username\":\"" + name + "\",\"password\":\"" + USER_PASSWORD + "\"}", null);
            if (response.statusCode() != 200) {
                throw new AssertionError("login as " + name + " -> " + response.statusCode() + " " + response.body());
            }
            return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).path("token").asString();
        });
    }

    /** The agent's state as the server keeps it (AVAILABLE, ON_CALL, WRAP_UP, ...). */
    String agentState(String user) {
        return tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(request("GET", "/api/me/state", null, token(user)).body()).path("state").asString();
    }

    void awaitAgentState(String user, String state, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (state.equals(agentState(user))) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(user + " is " + agentState(user) + ", not " + state);
    }

    /** Waits until the agent is no longer ON_CALL and returns the state they are in then. */
    String awaitOffCall(String user, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String state;
        while ("ON_CALL".equals(state = agentState(user))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(user + " is still ON_CALL " + timeout.toMillis() + " ms after the test");
            }
            sleep(100);
        }
        return state;
    }

    /** Readiness is the database and Asterisk's event stream (the health details are for administrators only). */
    void awaitAsteriskConnected(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> health = request("GET", "/actuator/health/readiness", null, null);
            if (health.statusCode() == 200 && "UP".equals(tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(health.body()).path("status").asString())) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("app did not connect to Asterisk within " + timeout + ": "
                + request("GET", "/actuator/health/readiness", null, null).body());
    }

    /** A WebSocket URL of this app with a fresh single-use ticket of the user's token. */
    String webSocketUrl(String pathAndQuery, String token) {
        HttpResponse<String> ticket = request("POST", "/api/auth/ws-ticket", null, token);
        if (ticket.statusCode() != 200) {
            throw new AssertionError("no WebSocket ticket: " + ticket.statusCode() + " " + ticket.body());
        }
        String value = tools.jackson.databind.json.JsonMapper.builder().build().readTree(ticket.body()).path("ticket").asString();
        return "ws://127.0.0.1:" + port() + pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "ticket=" + value;
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
