package io.callcenter.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The softphone page in headless Chromium, driven by {@code app/src/test/browser/softphone-driver.mjs}: one JSON
 * command per line on its stdin, one JSON answer per line on its stdout. The browser runs with a fake microphone
 * that plays a WAV file, so the far end can check it hears the agent.
 *
 * <p>Every command carries its own deadline in the driver, and this side waits a little longer than that, so a
 * hung page or browser fails the test with the page's state instead of hanging the build.
 */
final class BrowserSoftphone implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Beyond the driver's own deadline: launching pages, screenshots of failures. */
    private static final Duration SLACK = Duration.ofSeconds(15);

    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;
    private int nextId;

    private BrowserSoftphone(Process process, Path log) {
        this.process = process;
        this.commands = process.getOutputStream();
        this.log = log;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    answers.add(line);
                }
            } catch (IOException ignored) {
                // The process ended; waiting callers time out with the log's path.
            }
        }, "browser-softphone-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param pageUrl       where the agent opens the softphone, e.g. https://127.0.0.1:8080/
     * @param microphoneWav what the fake microphone plays (looped)
     * @param artifacts     where the browser log and screenshots of failed steps go
     */
    static BrowserSoftphone start(String pageUrl, Path microphoneWav, Path artifacts) {
        Path repo = TestAsterisk.repoDir();
        Path driver = repo.resolve("app/src/test/browser/softphone-driver.mjs");
        Path frontend = repo.resolve("app/src/main/frontend");
        try {
            Files.createDirectories(artifacts);
            Path log = artifacts.resolve("browser.log");
            ProcessBuilder builder = new ProcessBuilder("node", driver.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(Map.of(
                    "SOFTPHONE_URL", pageUrl,
                    "FAKE_AUDIO_WAV", microphoneWav.toString(),
                    "ARTIFACTS_DIR", artifacts.toString(),
                    "FRONTEND_DIR", frontend.toString(),
                    // The development CA (app's HTTPS, Asterisk's WSS) as the one authority Chromium accepts
                    // beyond its own: any other certificate error still fails the page.
                    "TRUST_SPKI", TestTls.caSpki()));
            BrowserSoftphone browser = new BrowserSoftphone(builder.start(), log);
            JsonNode ready = browser.nextAnswer(START_TIMEOUT, "browser start");
            if (!"ready".equals(ready.path("event").asString())) {
                browser.close();
                throw new AssertionError("browser did not start: " + ready + "; see " + log);
            }
            return browser;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node " + driver, e);
        }
    }

    /** Runs one driver command and returns its result; fails with the page's state if the command failed. */
    JsonNode run(String command, Duration timeout, Object... keyValues) {
        ObjectNode request = JSON.createObjectNode();
        int id = ++nextId;
        request.put("id", id);
        request.put("cmd", command);
        request.put("timeoutMs", timeout.toMillis());
        for (int i = 0; i < keyValues.length; i += 2) {
            request.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        try {
            commands.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw new AssertionError("browser driver is gone (" + command + "); see " + log, e);
        }
        JsonNode answer;
        do {
            answer = nextAnswer(timeout.plus(SLACK), command);
        } while (answer.path("id").asInt() != id);
        if (!answer.path("ok").asBoolean()) {
            throw new AssertionError("browser step '" + command + "' failed: " + answer.path("error").asString()
                    + "\npage state: " + answer.path("state") + "\nbrowser log and screenshots: " + log.getParent());
        }
        return answer.path("result");
    }

    private JsonNode nextAnswer(Duration timeout, String what) {
        try {
            String line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no answer from the browser driver within " + timeout + " (" + what + ")"
                        + (process.isAlive() ? "" : ", it exited with " + process.exitValue()) + "; see " + log);
            }
            return JSON.readTree(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the browser", e);
        }
    }

    /** A step of a test that may throw anything. */
    interface Steps {
        void run() throws Exception;
    }

    /** Runs the test's steps; when they fail, the page as it then was is kept as the screenshot {@code failure}. */
    void screenshotOnFailure(Steps steps) throws Exception {
        try {
            steps.run();
        } catch (Exception | AssertionError failure) {
            try {
                run("screenshot", Duration.ofSeconds(15), "name", "failure");
            } catch (RuntimeException | AssertionError ignored) {
                // The page may be what broke.
            }
            throw failure;
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                commands.write("{\"id\":0,\"cmd\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8));
                commands.close();
            }
        } catch (IOException ignored) {
            // Already gone.
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                // Chromium's processes are the driver's children: take them down with it.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** A sine as 48 kHz 16-bit mono PCM WAV, the format Chromium's fake audio capture reads. */
    static void writeToneWav(Path file, double hz, Duration length) {
        int rate = 48_000;
        int samples = (int) (rate * length.toMillis() / 1000);
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        // -10 dBFS, the level the SIP test phones use: loud enough for any codec, far from clipping.
        double amplitude = 32767 * Math.pow(10, -10 / 20.0);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, wav.array());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }
}
