package io.callcenter.it;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BENCHMARKS.md's webhook intake figures (issue 14): signed Telnyx webhooks posted by a load generator in a process
 * of its own ({@code bench/intake/WebhookLoad.java}) at fixed rates, against the whole app (Tomcat, security filters,
 * Ed25519 verification, the inbox insert committed with {@code synchronous_commit=on}) while the dialer's inbox
 * consumer applies what arrives, as in production. In the same run the baseline: the app's liveness endpoint at the
 * top rate through the same generator, which is the rig's own ceiling (HTTP, Tomcat, the generator on the same cores).
 *
 * <p>Refuses to print figures (fails) when the run did not measure what it claims: an acknowledged event missing from
 * the inbox, a badly signed event accepted or stored, commits not durable. A benchmark, not a check: only with
 * {@code -Dcallcenter.bench=intake} ({@code make bench-intake}). Knobs: {@code bench.intake.rates} (1000,2000,3000),
 * {@code bench.intake.seconds} (15), {@code bench.intake.connections} (64), {@code bench.intake.warmup-seconds} (5, at
 * the first rate).
 */
@EnabledIfSystemProperty(named = "callcenter.bench", matches = "intake")
class IntakeBenchIT {

    private static final int BAD_EVERY = 100;

    record Step(String name, Map<String, String> result, BenchSampler.Figures cost, String checks) {
    }

    @Test
    void signed_webhooks_acknowledged_only_once_stored() throws Exception {
        int[] rates = Arrays.stream(System.getProperty("bench.intake.rates", "1000,2000,3000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("bench.intake.seconds", 15);
        int connections = Integer.getInteger("bench.intake.connections", 64);
        String loadAtStart = loadAverage();
        // The tests' embedded server runs with fsync and synchronous_commit off for speed (-F on its command line,
        // which no setting of a database can undo); an acknowledgement is only worth something after a durable
        // commit, so the bench starts a server of its own with both on (checked again below, on the app's connections).
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres durable = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
        String databaseUrl = durable.getJdbcUrl("postgres", "postgres");
        FakeTelnyx telnyx = new FakeTelnyx();
        // The production inbox hold (300 ms), not the tests' quick one.
        TestApp app = TestApp.start(databaseUrl, TestAsterisk.get(), telnyx.appSettings(Map.of("callcenter.dialer.inbox-hold", "300ms")));
        List<Step> steps = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        // The bench's own connection: the app's pool sits behind its outage breaker, which a saturated pool can trip.
        try (Connection own = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password())) {
            DSLContext db = org.jooq.impl.DSL.using(own, org.jooq.SQLDialect.POSTGRES);
            // Asked on the app's own connections: they are the ones committing the webhooks.
            String durability = app.bean(DSLContext.class).fetchOne("select current_setting('synchronous_commit') || '/' || current_setting('fsync')").get(0, String.class);
            if (!"on/on".equals(durability)) {
                invalid.add("commits not durable: synchronous_commit/fsync = " + durability);
            }
            String key = telnyx.privateKeyPkcs8();
            // Warm-up (JIT, pools, Tomcat's threads): not reported.
            run(app, "webhook", rates[0], Integer.getInteger("bench.intake.warmup-seconds", 5), connections, key, "warm", null);
            awaitDrained(db, Duration.ofSeconds(60));

            int top = Arrays.stream(rates).max().orElseThrow();
            BenchSampler baselineCost = new BenchSampler();
            Map<String, String> baseline = run(app, "get:/actuator/health/liveness", top, seconds, connections, null, null, null);
            steps.add(new Step("baseline: GET liveness", baseline, baselineCost.stop(), "-"));
            invalid.addAll(notMeasured("baseline", baseline));

            for (int rate : rates) {
                String prefix = "bench" + rate + "-" + Instant.now().getEpochSecond();
                BenchSampler[] cost = new BenchSampler[1];
                Map<String, String> result = run(app, "webhook", rate, seconds, connections, key, prefix, cost);
                BenchSampler.Figures figures = cost[0].stop();
                Instant drainStart = Instant.now();
                long stored = db.fetchOne("select count(*) from telnyx_inbox where event_id like ? and event_id not like ?",
                        prefix + "-%", prefix + "-bad-%").get(0, Long.class);
                long storedBad = db.fetchOne("select count(*) from telnyx_inbox where event_id like ?", prefix + "-bad-%").get(0, Long.class);
                long ok = Long.parseLong(result.get("ok"));
                long failed = Long.parseLong(result.get("failed"));
                long sent = Long.parseLong(result.get("sent"));
                long expectedBad = sent / BAD_EVERY;
                if (stored < ok || stored > ok + failed) {
                    invalid.add(rate + "/s: " + ok + " acknowledged but " + stored + " stored");
                }
                if (storedBad != 0 || !"0".equals(result.get("acceptedBad")) || Long.parseLong(result.get("refusedBad")) + failed < expectedBad) {
                    invalid.add(rate + "/s: badly signed events: " + result.get("refusedBad") + " refused of " + expectedBad
                            + ", " + result.get("acceptedBad") + " accepted, " + storedBad + " stored");
                }
                invalid.addAll(notMeasured(rate + "/s", result));
                Duration drain = awaitDrained(db, Duration.ofSeconds(120));
                steps.add(new Step("webhooks " + rate + "/s", result, figures,
                        "%d acked = %d stored; %s of %d bad refused, 0 stored; inbox applied %.1f s after the load"
                                .formatted(ok, stored, result.get("refusedBad"), expectedBad,
                                        Duration.between(drainStart, Instant.now()).toMillis() / 1000.0)
                                + (drain == null ? " (NOT drained within 120 s)" : "")));
            }
        } finally {
            app.close();
            durable.close();
        }
        if (!invalid.isEmpty()) {
            throw new AssertionError("INVALID RUN, no figures: " + invalid);
        }
        System.out.printf("IntakeBenchIT: %d connections, %d s per step, 1 in %d events badly signed, synchronous_commit=on; "
                + "at the start %s, at the end %s%n", connections, seconds, BAD_EVERY, loadAtStart, loadAverage());
        System.out.println("IntakeBenchIT: | step | target/s | achieved/s | ok | errors | ack p50 ms | p99 ms | p99.9 ms | max ms "
                + "| service p99 ms | generator lag p99 ms | app heap peak / live MiB | app RSS peak MiB | app CPU cores | app CPU ms per request "
                + "| machine busy cores | checks |");
        for (Step step : steps) {
            Map<String, String> r = step.result();
            System.out.printf("IntakeBenchIT: | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %d / %d | %d | %.2f | %.3f | %.2f | %s |%n",
                    step.name(), r.get("target"), r.get("achieved"), r.get("ok"),
                    Long.parseLong(r.get("failed")) + Long.parseLong(r.get("refusedGood")),
                    r.get("p50"), r.get("p99"), r.get("p999"), r.get("max"), r.get("serviceP99"), r.get("ownLagP99"),
                    step.cost().heapPeakMiB(), step.cost().heapLiveAfterGcMiB(), step.cost().rssPeakMiB(),
                    step.cost().appCores(), step.cost().appCores() * 1000 / Double.parseDouble(r.get("achieved")),
                    step.cost().machineBusyCores(), step.checks());
        }
        Map<String, String> base = steps.getFirst().result();
        for (Step step : steps.subList(1, steps.size())) {
            System.out.printf("IntakeBenchIT: %s: ack p50 %.1fx, p99 %.1fx the baseline's%n", step.name(),
                    Double.parseDouble(step.result().get("p50")) / Double.parseDouble(base.get("p50")),
                    Double.parseDouble(step.result().get("p99")) / Double.parseDouble(base.get("p99")));
        }
        assertThat(steps).hasSize(rates.length + 1);
    }

    /** The step's figures are not at the rate they claim when fewer than this share of its requests went out. */
    static final double MIN_ACHIEVED = 0.97;
    /** ... nor when the generator itself, not the app, delayed requests by more than this at its p99 (ms). */
    static final double MAX_OWN_LAG_P99_MS = 5.0;

    /**
     * Why a step did not measure the app at its rate, if it did not: the generator could not offer the rate (the app
     * answering slowly shows as latency, since each request's clock starts when it was due, but a rate not reached
     * means the figures belong to a lower one), or the generator's own lateness (a free connection, a request due,
     * and the generator not running: the machine's scheduler, not the app) would be a visible part of the p99.
     */
    static List<String> notMeasured(String step, Map<String, String> result) {
        List<String> why = new ArrayList<>();
        double target = Double.parseDouble(result.get("target"));
        double achieved = Double.parseDouble(result.get("achieved"));
        if (achieved < MIN_ACHIEVED * target) {
            // With a fixed number of connections an app answering too slowly holds them all, so the rate falls too.
            why.add("%s: %.0f/s not offered, %.0f/s went out (the app answering too slowly for the connections, or the generator)"
                    .formatted(step, target, achieved));
        }
        double lag = Double.parseDouble(result.get("ownLagP99"));
        if (lag > MAX_OWN_LAG_P99_MS) {
            why.add("%s: the generator itself was %.1f ms late at p99 (max %s ms): the machine, not the app".formatted(
                    step, lag, result.get("ownLagMax")));
        }
        return why;
    }

    /** Runs the generator; samples the app's cost from the moment the load starts when {@code cost} is given. */
    private static Map<String, String> run(TestApp app, String mode, int rate, int seconds, int connections, String key,
                                           String prefix, BenchSampler[] cost) throws Exception {
        Path repo = Path.of(System.getProperty("callcenter.repo.dir", "."));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx1g", repo.resolve("bench/intake/WebhookLoad.java").toString(),
                "127.0.0.1", String.valueOf(app.port()), mode, String.valueOf(rate), String.valueOf(seconds),
                String.valueOf(connections)));
        if (key != null) {
            command.addAll(List.of(key, prefix, String.valueOf(BAD_EVERY)));
        }
        assertThat(Files.exists(repo.resolve("bench/intake/WebhookLoad.java"))).as("run from the repository").isTrue();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> result = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("START") && cost != null) {
                    cost[0] = new BenchSampler();
                } else if (line.startsWith("RESULT ")) {
                    for (String pair : line.substring(7).split(" ")) {
                        String[] kv = pair.split("=", 2);
                        result.put(kv[0], kv[1]);
                    }
                } else {
                    System.out.println("WebhookLoad: " + line);
                }
            }
        }
        assertThat(process.waitFor()).as("load generator exit").isZero();
        assertThat(result).as("load generator result").containsKey("ok");
        System.out.println("IntakeBenchIT: " + mode + " " + rate + "/s: " + result);
        return result;
    }

    /** Waits until the dialer has applied every stored event; how long it took, or null if it did not. */
    private static Duration awaitDrained(DSLContext db, Duration timeout) {
        Instant start = Instant.now();
        while (Duration.between(start, Instant.now()).compareTo(timeout) < 0) {
            if (db.fetchCount(db.selectOne().from("telnyx_inbox").where("applied_at is null and set_aside_at is null")) == 0) {
                return Duration.between(start, Instant.now());
            }
            TestApp.sleep(200);
        }
        return null;
    }

    static String loadAverage() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "load average unknown";
        }
    }
}
