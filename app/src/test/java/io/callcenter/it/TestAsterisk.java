package io.callcenter.it;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Asterisk 22 for integration tests, run natively by {@code scripts/asterisk.sh} (a cached Debian sid root
 * filesystem in a chroot) with its own run directory under {@code app/target/it-run}. One instance per test JVM;
 * tests may restart it. Stopped when the JVM exits.
 */
final class TestAsterisk {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestAsterisk instance;

    private final Path repo;
    private final Path runDir;

    private TestAsterisk(Path repo) {
        this.repo = repo;
        this.runDir = repo.resolve("app/target/it-run");
    }

    static synchronized TestAsterisk get() {
        if (instance == null) {
            TestAsterisk asterisk = new TestAsterisk(repoDir());
            asterisk.script("start");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> asterisk.scriptQuietly("stop")));
            instance = asterisk;
        }
        return instance;
    }

    static Path repoDir() {
        String configured = System.getProperty("callcenter.repo.dir");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("scripts/asterisk.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("scripts/asterisk.sh not found above " + start);
    }

    String ariUrl() {
        return "http://127.0.0.1:8088/";
    }

    String ariPassword() {
        String fromEnv = System.getenv("ARI_PASSWORD");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return Files.readString(runDir.resolve("secrets/ari-password"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("ARI password file missing in " + runDir, e);
        }
    }

    void restart() {
        script("restart");
    }

    /** Restarts with site settings of scripts/asterisk.sh (e.g. AGENT_NETWORKS); {@link #restart()} drops them. */
    void restart(Map<String, String> siteSettings) {
        siteEnvironment = Map.copyOf(siteSettings);
        try {
            script("restart");
        } finally {
            siteEnvironment = Map.of();
        }
    }

    private Map<String, String> siteEnvironment = Map.of();

    /** SIGKILL and start again: no hangup is signalled to anyone, as in a real crash. */
    void crashAndRestart() {
        script("kill");
        script("start");
    }

    String cli(String command) {
        return script("cli", command);
    }

    /**
     * Waits until Asterisk has let go of the test that just ended: no channel left, and none of the given PJSIP
     * endpoints (agents' extensions) with a registered contact. The next test counts available agents and registers
     * the same extensions, so a leftover channel or binding would make it pass or fail for the wrong reason.
     */
    void awaitIdle(Duration timeout, String... unregisteredEndpoints) {
        Instant deadline = Instant.now().plus(timeout);
        String pending;
        while ((pending = notIdle(unregisteredEndpoints)) != null) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Asterisk is not idle " + timeout.toMillis() + " ms after the test: " + pending);
            }
            TestApp.sleep(50);
        }
    }

    /** What keeps Asterisk from being idle, or null. */
    private String notIdle(String... unregisteredEndpoints) {
        JsonNode channels = ari("channels");
        if (!channels.isEmpty()) {
            List<String> names = new java.util.ArrayList<>();
            channels.forEach(c -> names.add(c.path("name").asString() + " (" + c.path("state").asString() + ")"));
            return "channels " + names;
        }
        for (String endpoint : unregisteredEndpoints) {
            String state = ari("endpoints/PJSIP/" + endpoint).path("state").asString();
            if ("online".equals(state)) {
                return "endpoint " + endpoint + " still registered";
            }
        }
        return null;
    }

    private JsonNode ari(String path) {
        String credentials = java.util.Base64.getEncoder()
                .encodeToString(("callcenter:" + ariPassword()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(ariUrl() + "ari/" + path))
                .header("Authorization", "Basic " + credentials).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("ARI GET " + path + " -> " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("ARI GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The development CA and server certificate Asterisk's WSS uses (scripts/dev-certs.sh); see {@link TestTls}. */
    Path tlsDir() {
        return runDir.resolve("tls");
    }

    /** Asterisk's log directory: messages.log, security.log (the fail2ban filter's input). */
    Path logDir() {
        return runDir.resolve("asterisk/log");
    }

    Path recordingsDir() {
        return runDir.resolve("asterisk/spool/recording");
    }

    /**
     * A real fault of the recordings store: read-only (as an NFS export gone read-only) as Asterisk sees it, in its
     * own mount namespace, so Asterisk (root) cannot create a recording; {@code false} makes it writable again.
     */
    void recordingsStoreReadOnly(boolean readOnly) {
        try {
            String pid = Files.readString(runDir.resolve("asterisk/asterisk.pid")).strip();
            // The root Asterisk is chrooted into, as its mount namespace names it; the machine's mount (the root
            // filesystem has none).
            Path root = Files.readSymbolicLink(Path.of("/proc", pid, "root"));
            Process process = new ProcessBuilder("nsenter", "-t", pid, "-m", "mount", "-o",
                    "remount,bind," + (readOnly ? "ro" : "rw"), root.resolve("var/spool/asterisk/recording").toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("remounting the recordings store failed: " + output);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void scriptQuietly(String command) {
        try {
            script(command);
        } catch (RuntimeException ignored) {
            // JVM is exiting; a stop that fails leaves nothing behind thanks to the private mount namespace.
        }
    }

    private synchronized String script(String... args) {
        Map<String, String> environment = new java.util.HashMap<>(siteEnvironment);
        environment.put("CALLCENTER_RUN_DIR", runDir.toString());
        return runScript(repo, "asterisk.sh", List.of(args), environment);
    }

    /** Runs one of the repository's scripts/ (asterisk.sh, kamailio.sh) and returns its output; fails unless it exits 0. */
    static String runScript(Path repo, String script, List<String> args, Map<String, String> environment) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", repo.resolve("scripts").resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        String what = script + " " + String.join(" ", args);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " timed out:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed (" + process.exitValue() + "):\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
