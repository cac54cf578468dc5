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
    static final String DEMO_DID = "+15550100";

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static TestApp start(String databaseUrl, TestAsterisk asterisk) {
        TestDatabase database = TestDatabase.get();
        // Command-line arguments outrank application.yaml (builder properties would only be defaults).
        Map<String, String> properties = Map.of(
                        "server.port", "0",
                        "spring.datasource.url", databaseUrl,
                        "spring.datasource.username", database.user(),
                        "spring.datasource.password", database.password(),
                        "callcenter.ari.url", asterisk.ariUrl(),
                        "callcenter.ari.password", asterisk.ariPassword(),
                        "callcenter.demo.enabled", "true",
                        "callcenter.demo.agent-password", AGENT_PASSWORD,
                        "callcenter.calls.agent-ring-timeout", "8s");
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CallCenterApplication.class).run(args);
        TestApp app = new TestApp(context);
        app.awaitAsteriskConnected(Duration.ofSeconds(30));
        return app;
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    void awaitAsteriskConnected(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> health = get("/actuator/health");
            if (health.statusCode() == 200 && "UP".equals(tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(health.body()).path("components").path("ari").path("status").asString())) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("app did not connect to Asterisk within " + timeout + ": " + get("/actuator/health").body());
    }

    @Override
    public void close() {
        context.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
