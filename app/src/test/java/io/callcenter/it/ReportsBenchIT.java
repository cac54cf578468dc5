package io.callcenter.it;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BENCHMARKS.md's report figures: one team with 50 agents and one million calls over 30 days (each with a leg), a
 * day of state changes per agent. Times each report 20 times (p50, p99), prints the query plans PostgreSQL chose
 * for them (EXPLAIN ANALYZE of the very statements the app ran), and streams the call export of all million calls
 * while sampling the heap of the JVM the app runs in. A benchmark, not a check: only with
 * {@code -Dcallcenter.bench=reports}, and it asserts only that every call was exported.
 */
@EnabledIfSystemProperty(named = "callcenter.bench", matches = "reports")
class ReportsBenchIT {

    private static final int CALLS = 1_000_000;
    private static final int AGENTS = 50;
    private static final int DAYS = 30;
    private static final int RUNS = 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void reports_and_the_export_over_a_million_calls() throws Exception {
        String databaseUrl = TestDatabase.get().newDatabase();
        TestApp app = TestApp.start(databaseUrl, TestAsterisk.get(), Map.of());
        try {
            String team = JSON.readTree(app.request("GET", "/api/me", null, app.token("maria")).body()).path("teamId").asString();
            long seeding = System.nanoTime();
            seed(databaseUrl, team);
            System.out.printf("ReportsBenchIT: seeded %,d calls in %.1f s%n", CALLS, (System.nanoTime() - seeding) / 1e9);

            Map<String, List<Object>> statements = captureStatements(app);
            LocalDate last = LocalDate.now(ZoneOffset.UTC).minusDays(1);
            String month = "from=" + last.minusDays(DAYS - 1) + "&to=" + last + "&zone=America/New_York";
            String day = "from=" + last + "&to=" + last + "&zone=America/New_York";
            String token = app.token("maria");
            time(app, token, "intervals, hour, 30 days", "/api/reports/intervals?interval=hour&" + month);
            time(app, token, "intervals, 15 min, 1 day", "/api/reports/intervals?interval=15m&" + day);
            time(app, token, "agents, 30 days", "/api/reports/agents?" + month);
            time(app, token, "agents, 1 day", "/api/reports/agents?" + day);
            time(app, token, "campaigns, 30 days", "/api/reports/campaigns?" + month);

            DSLContext db = app.bean(DSLContext.class);
            new java.util.LinkedHashMap<>(statements).forEach((key, binds) -> {
                String sql = key.substring(0, key.indexOf('\u0000'));
                System.out.println("ReportsBenchIT plan of:\n" + sql.strip() + "\n  with " + binds);
                db.fetch("explain (analyze, buffers, costs off, timing off) " + sql, binds.toArray())
                        .forEach(r -> System.out.println("    " + r.get(0)));
            });
            // The seed spreads the calls over 30 UTC days; the range is 30 New York days: expect what the report counts.
            long inRange = JSON.readTree(app.request("GET", "/api/reports/intervals?interval=day&" + month, null, token).body())
                    .path("total").path("offered").asLong();
            export(app, token, month, inRange);
        } finally {
            app.close();
        }
    }

    private static void time(TestApp app, String token, String name, String path) {
        long[] ms = new long[RUNS];
        for (int i = -3; i < RUNS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = app.request("GET", path, null, token);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - start) / 1_000_000;
            }
        }
        Arrays.sort(ms);
        System.out.printf("ReportsBenchIT: %-26s p50 %5d ms  p99 %5d ms  (%d runs after 3 warm-up)%n", name,
                ms[RUNS / 2], ms[(int) Math.ceil(RUNS * 0.99) - 1], RUNS);
    }

    /** Streams the export and samples the heap; at a quarter, half and three quarters the live set after a GC. */
    private static void export(TestApp app, String token, String range, long expected) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong();
        List<Long> liveAfterGc = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/reports/calls.csv?" + range))
                .header("Authorization", "Bearer " + token).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                        if (lines == CALLS / 4 || lines == CALLS / 2 || lines == CALLS * 3L / 4) {
                            System.gc();
                            liveAfterGc.add(memory.getHeapMemoryUsage().getUsed());
                        }
                    }
                }
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ReportsBenchIT: export of %,d calls: %,d bytes in %.1f s (%.0f rows/s); heap before %d MiB, "
                        + "peak used while streaming %d MiB, live after GC at 1/4, 1/2, 3/4: %s MiB; max heap %d MiB%n",
                lines - 1, bytes, seconds, (lines - 1) / seconds, baseline >> 20, peak.get() >> 20,
                liveAfterGc.stream().map(b -> String.valueOf(b >> 20)).toList(), memory.getHeapMemoryUsage().getMax() >> 20);
        assertThat(lines - 1).isEqualTo(expected).isGreaterThan(CALLS * 99L / 100);
    }

    /** The SQL the app runs for the reports (first time each), with its bind values, to EXPLAIN them as they ran. */
    private static Map<String, List<Object>> captureStatements(TestApp app) {
        Map<String, List<Object>> statements = new ConcurrentHashMap<>();
        AppStatements.onStart(app, ctx -> {
            String sql = ctx.sql();
            if (sql != null && ctx.query() != null && !sql.startsWith("explain") && (sql.contains("date_bin") || sql.contains("agent_state_event")
                    || sql.contains("dial_attempt a") || sql.contains("group by agent_id"))) {
                // Keyed by the values too: the 30-day and the one-day range of a query may be planned differently.
                List<Object> binds = ctx.query().getBindValues();
                // "now" moves between runs: to the day, so each range is planned once.
                String range = binds.stream().map(b -> b instanceof java.time.OffsetDateTime t
                        ? t.truncatedTo(java.time.temporal.ChronoUnit.DAYS) : b).toList().toString();
                statements.putIfAbsent(sql + "\u0000" + range, binds);
            }
        });
        return statements;
    }

    private static void seed(String databaseUrl, String team) throws Exception {
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
             Statement sql = db.createStatement()) {
            sql.execute("""
                    insert into agent (id, extension, display_name, team_id, sip_md5_cred, phone)
                    select gen_random_uuid(), (5000 + i)::text, 'Bench agent ' || i, '%s', md5(i::text), 'sip'
                    from generate_series(1, %d) i""".formatted(team, AGENTS - 3));
            // Calls spread evenly over the 30 days before today; 90 %% answered after 0-59 s, talking 30-629 s.
            sql.execute("""
                    create temporary table bench_agents as
                      select row_number() over (order by id) - 1 as n, id from agent where team_id = '%1$s';
                    insert into call (id, direction, state, from_number, to_number, agent_id, team_id, created_at,
                                      answered_at, ended_at, hangup_cause, disposition, origin)
                    select gen_random_uuid(), 'inbound', 'ENDED', '+1212' || lpad((i %% 10000000)::text, 7, '0'), '+15550100',
                           case when i %% 10 <> 0 then a.id end, '%1$s', t,
                           case when i %% 10 <> 0 then t + make_interval(secs => i %% 60) end,
                           t + make_interval(secs => i %% 60 + case when i %% 10 <> 0 then 30 + i %% 600 else 0 end),
                           'normal_clearing', case when i %% 2 = 0 then 'ANSWERED' end, 'inbound'
                    from generate_series(1, %2$d) i
                    cross join lateral (select (current_date - %3$d) + (i::double precision / %2$d) * interval '%3$s days' as t) ts
                    join bench_agents a on a.n = i %% %4$d;
                    insert into call_leg (channel_id, call_id, role, endpoint, number, created_at, answered_at, ended_at)
                    select 'bench-' || c.id, c.id, 'caller', 'PJSIP/telnyx', c.from_number, c.created_at, c.answered_at, c.ended_at
                    from call c where c.team_id = '%1$s';
                    insert into agent_state_event (agent_id, state, occurred_at)
                    select a.id, (array['AVAILABLE','ON_CALL','WRAP_UP','AVAILABLE','BREAK'])[1 + k %% 5],
                           (current_date - %3$d) + d * interval '1 day' + interval '8 hours' + k * interval '20 minutes'
                    from bench_agents a, generate_series(0, %3$d - 1) d, generate_series(0, 26) k""".formatted(team, CALLS, DAYS, AGENTS));
            // As autovacuum would have done on a live system: statistics, and the visibility map index-only scans need.
            sql.execute("vacuum analyze");
        }
    }
}
