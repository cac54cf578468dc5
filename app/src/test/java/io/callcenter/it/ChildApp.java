package io.callcenter.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The app in a JVM of its own, for a test that kills it as a machine dies: SIGKILL, no shutdown hook, its sockets
 * to PostgreSQL and Asterisk closed by the kernel. Its output goes to {@code target/child-apps/<name>-<millis>.log}.
 */
final class ChildApp implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ChildApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ChildApp start(String name, String databaseUrl, TestAsterisk asterisk, Map<String, String> overrides)
            throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> settings = new LinkedHashMap<>(overrides);
        settings.put("server.port", String.valueOf(port));
        settings.put("callcenter.instance.name", name);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "io.callcenter.CallCenterApplication"));
        command.addAll(List.of(TestApp.arguments(TestApp.properties(databaseUrl, asterisk, settings))));
        Path log = Path.of("target", "child-apps", name + "-" + System.currentTimeMillis() + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildApp(process, port, log);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Its REST API, as a test app's (no beans). */
    TestApp api() {
        return TestApp.remote(baseUrl());
    }

    /** Ready: connected to the database and listening to Asterisk (it holds the floor). */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the child app exited (" + process.exitValue() + "); see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                        + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            TestApp.sleep(200);
        }
        throw new AssertionError("the child app was not ready within " + timeout + "; see " + log.toAbsolutePath());
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the child app survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
