package io.callcenter.it;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BENCHMARKS.md's call history figures (issue 14): {@code GET /api/calls} (the softphone's History, 20 a page, keyset
 * cursors; the console has no history page) and a call's detail, per role, at 100,000 calls and then, in the same
 * run and database, at 10 million (the rest seeded with generate_series, interleaved in time with the first). A year
 * of calls over 8 teams and 300 agents, skewed: agent n of 300 takes calls with density ~ 1/sqrt(n) (alice is the
 * busiest, ~6 % of all calls; bob in the middle; carol, of Sales, among the quietest), dave has only 20 calls of a
 * year ago. Two legs per call on average (the caller; the agent rung, answered or not; 1 in 20 a transfer to a
 * second agent, whose history shows the call through that leg only) and about three transitions.
 *
 * <p>Each case 100 times after 5 warm-up runs, over HTTP with the role's token; the baseline in the same run is
 * {@code GET /api/me} and the same queries at 100k calls. Checks while it measures: pages strictly newest first, no
 * call twice across a walk of pages. Then EXPLAIN (ANALYZE, BUFFERS) of the very statements the app ran. Only with
 * {@code -Dcallcenter.bench=history} ({@code make bench-history}); {@code bench.history.calls} (10,000,000).
 */
@EnabledIfSystemProperty(named = "callcenter.bench", matches = "history")
class HistoryBenchIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int AGENTS = 300;
    private static final int RUNS = 100;
    private static final int PAGE = 20;

    private volatile String currentCase = "";
    private final Map<String, Map.Entry<String, List<Object>>> statements = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void history_pages_per_role_at_100k_and_10m_calls() throws Exception {
        long calls = Long.getLong("bench.history.calls", 10_000_000L);
        String databaseUrl = TestDatabase.get().newDatabase();
        TestApp app = TestApp.start(databaseUrl, TestAsterisk.get(), Map.of());
        Map<String, long[]> small;
        Map<String, long[]> large;
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
             Statement sql = db.createStatement()) {
            captureStatements(app);
            long start = System.nanoTime();
            prepare(sql, calls);
            seed(sql, "i % 100 = 0", false);
            System.out.printf("HistoryBenchIT: seeded %,d calls in %.1f s%n", count(sql, "call"), (System.nanoTime() - start) / 1e9);
            BenchSampler smallCost = new BenchSampler();
            small = measure(app, sql, "100k");
            System.out.println("HistoryBenchIT: 100k: the app while measured: " + smallCost.stop());

            start = System.nanoTime();
            seed(sql, "i % 100 <> 0", true);
            System.out.printf("HistoryBenchIT: seeded to %,d calls, %,d legs, %,d events in %.1f s%n", count(sql, "call"),
                    count(sql, "call_leg"), count(sql, "call_event"), (System.nanoTime() - start) / 1e9);
            statements.clear();
            BenchSampler largeCost = new BenchSampler();
            large = measure(app, sql, "10m");
            System.out.println("HistoryBenchIT: 10m: the app while measured: " + largeCost.stop());
            DSLContext jooq = app.bean(DSLContext.class);
            statements.forEach((name, statement) -> {
                System.out.println("HistoryBenchIT plan of " + name + ":\n" + statement.getKey().strip() + "\n  with " + statement.getValue());
                jooq.fetch("explain (analyze, buffers, costs off) " + statement.getKey(), statement.getValue().toArray())
                        .forEach(r -> System.out.println("    " + r.get(0)));
            });
        } finally {
            app.close();
        }
        System.out.printf("HistoryBenchIT: %s; %d runs per case after 5 warm-up, %d calls a page%n", IntakeBenchIT.loadAverage(), RUNS, PAGE);
        System.out.println("HistoryBenchIT: | case | 100k p50 ms | 100k p99 ms | 10M p50 ms | 10M p99 ms | 10M/100k p99 |");
        large.forEach((name, ms) -> {
            long[] base = small.get(name);
            System.out.printf("HistoryBenchIT: | %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", name, base[0] / 1000.0, base[1] / 1000.0,
                    ms[0] / 1000.0, ms[1] / 1000.0, (double) ms[1] / Math.max(1, base[1]));
        });
    }

    private Map<String, long[]> measure(TestApp app, Statement sql, String size) throws Exception {
        Map<String, long[]> results = new LinkedHashMap<>();
        String alice = agentOf(sql, "alice");
        String bob = agentOf(sql, "bob");
        String carol = agentOf(sql, "carol");
        String team = single(sql, "select team_id from agent where id = '" + alice + "'");
        String someCall = single(sql, "select id from call where agent_id = '" + alice + "' order by created_at desc offset (select count(*) / 2 from call where agent_id = '" + alice + "') limit 1");
        results.put("GET /api/me (alice): rig baseline", time(app, "alice", "/api/me", "me"));
        results.put("GET /api/calls/{id}: one call, legs, events (admin)", time(app, "admin", "/api/calls/" + someCall, "detail"));
        results.put("admin, first page", page(app, "admin", null, "admin first"));
        results.put("admin, deep page (middle of all calls)", page(app, "admin",
                cursor(sql, "select created_at, id from call order by created_at desc, id desc offset (select count(*) / 2 from call) limit 1"), "admin deep"));
        results.put("manager (maria, Psychology), first page", page(app, "maria", null, "manager first"));
        results.put("manager, deep page (middle of the team's calls)", page(app, "maria", cursor(sql, "select created_at, id from call where team_id = '"
                + team + "' order by created_at desc, id desc offset (select count(*) / 2 from call where team_id = '" + team + "') limit 1"), "manager deep"));
        for (String[] agent : new String[][] {{"alice", alice, "busiest"}, {"bob", bob, "median"}, {"carol", carol, "quiet"}}) {
            results.put("agent " + agent[0] + " (" + agent[2] + "), first page", page(app, agent[0], null, agent[0] + " first"));
            results.put("agent " + agent[0] + ", deep page (middle of own calls)", page(app, agent[0], cursor(sql,
                    "select created_at, id from call where agent_id = '" + agent[1] + "' order by created_at desc, id desc offset (select count(*) / 2 from call where agent_id = '"
                            + agent[1] + "') limit 1"), agent[0] + " deep"));
        }
        results.put("agent dave (20 calls, a year old), first page", page(app, "dave", null, "dave first"));
        for (String[] agent : new String[][] {{"alice", alice}, {"bob", bob}, {"carol", carol}, {"dave", agentOf(sql, "dave")}}) {
            oldQuery(sql, size, agent[0], agent[1], null);
            oldQuery(sql, size, agent[0], agent[1], cursorValues(sql, "select created_at, id from call where agent_id = '" + agent[1]
                    + "' order by created_at desc, id desc offset (select count(*) / 2 from call where agent_id = '" + agent[1] + "') limit 1"));
        }
        walk(app, "alice", 10);
        walk(app, "maria", 10);
        results.forEach((name, ms) -> System.out.printf("HistoryBenchIT: %s %-55s p50 %7.1f ms  p99 %7.1f ms%n", size, name, ms[0] / 1000.0, ms[1] / 1000.0));
        return results;
    }

    private long[] page(TestApp app, String user, String cursor, String name) {
        return time(app, user, "/api/calls?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + cursor), name);
    }

    /** p50 and p99 in microseconds. */
    private long[] time(TestApp app, String user, String path, String name) {
        String token = app.token(user);
        currentCase = name;
        long[] micros = new long[RUNS];
        for (int i = -5; i < RUNS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = app.request("GET", path, null, token);
            long took = (System.nanoTime() - start) / 1000;
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
            if (i >= 0) {
                micros[i] = took;
            }
        }
        currentCase = "";
        Arrays.sort(micros);
        return new long[] {micros[RUNS / 2], micros[(int) Math.ceil(RUNS * 0.99) - 1]};
    }

    /** Follows nextCursor: every page newest first, continuing where the last ended, no call twice. */
    private static void walk(TestApp app, String user, int pages) {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        String previous = null;
        for (int p = 0; p < pages; p++) {
            JsonNode page = JSON.readTree(app.request("GET", "/api/calls?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + cursor),
                    null, app.token(user)).body());
            for (JsonNode item : page.path("items")) {
                String key = item.path("createdAt").asString() + "|" + item.path("id").asString();
                assertThat(seen.add(item.path("id").asString())).as("call twice in the walk: " + key).isTrue();
                if (previous != null) {
                    assertThat(OffsetDateTime.parse(item.path("createdAt").asString()).toInstant())
                            .isBeforeOrEqualTo(OffsetDateTime.parse(previous).toInstant());
                }
                previous = item.path("createdAt").asString();
            }
            cursor = page.path("nextCursor").asString(null);
            if (cursor == null) {
                break;
            }
        }
        assertThat(seen).isNotEmpty();
    }

    /**
     * The agent's page as the app asked for it before V125 (the calls they took, or any call with a leg of theirs as
     * an EXISTS per row), timed over JDBC on the same data: the "before" of the lever without a second seed.
     */
    private static void oldQuery(Statement sql, String size, String user, String agent, Object[] cursor) throws Exception {
        String keyset = cursor == null ? "" : " and (created_at, id) < ('" + cursor[0] + "'::timestamptz, '" + cursor[1] + "'::uuid)";
        String query = "select * from call where (agent_id = '" + agent + "' or exists (select 1 from call_leg where call_leg.call_id = call.id"
                + " and call_leg.agent_id = '" + agent + "'))" + keyset + " order by created_at desc, id desc limit " + (PAGE + 1);
        long[] micros = new long[20];
        for (int i = -2; i < micros.length; i++) {
            long start = System.nanoTime();
            try (ResultSet rows = sql.executeQuery(query)) {
                while (rows.next()) {
                    rows.getString(1);
                }
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        Arrays.sort(micros);
        System.out.printf("HistoryBenchIT: %s before V125 (JDBC, the old EXISTS query), agent %s %s page: p50 %.1f ms, max of 20 %.1f ms%n",
                size, user, cursor == null ? "first" : "deep", micros[10] / 1000.0, micros[19] / 1000.0);
    }

    private static Object[] cursorValues(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            if (!row.next()) {
                return null;
            }
            return new Object[] {row.getObject(1, OffsetDateTime.class), row.getString(2)};
        }
    }

    private static String cursor(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            assertThat(row.next()).as(query).isTrue();
            String value = row.getObject(1, OffsetDateTime.class).toInstant() + "|" + row.getString(2);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String agentOf(Statement sql, String user) throws Exception {
        return single(sql, "select agent_id from app_user where username = '" + user + "'");
    }

    private static String single(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            assertThat(row.next()).as(query).isTrue();
            return row.getString(1);
        }
    }

    private static long count(Statement sql, String table) throws Exception {
        return Long.parseLong(single(sql, "select count(*) from " + table));
    }

    /** The page statements the app runs for each case (the last seen), to EXPLAIN them as they ran. */
    private void captureStatements(TestApp app) {
        AppStatements.onStart(app, ctx -> {
            String sql = ctx.sql();
            String name = currentCase;
            if (!name.isEmpty() && sql != null && ctx.query() != null && sql.contains("\"call\"") && sql.contains(" desc")
                    && !sql.startsWith("explain")) {
                statements.put(name, Map.entry(sql, ctx.query().getBindValues()));
            }
        });
    }

    /**
     * Six teams more (eight in all) and 300 agents: position n of 300 in the skew; alice 0, bob 150, carol 299, the
     * others new, their team by position (the busiest agents mostly Psychology's, the quietest spread wide).
     */
    private static void prepare(Statement sql, long calls) throws Exception {
        sql.execute("""
                insert into team (id, name, caller_id_number)
                select gen_random_uuid(), 'Bench team ' || t, '+1555090' || t from generate_series(1, 6) t;
                create table bench_team as
                  select row_number() over (order by name <> 'Psychology', name <> 'Sales', name) - 1 as k, id from team;
                insert into agent (id, extension, display_name, team_id, sip_md5_cred, phone)
                select gen_random_uuid(), (6000 + n)::text, 'Bench agent ' || n,
                       (select id from bench_team where k = floor(8 * power(n / %1$d.0, 2))::int), md5(n::text), 'sip'
                from generate_series(0, %1$d - 1) n where n not in (0, 150, 299);
                create table bench_agent as
                  select (extension::int - 6000) as n, id, team_id from agent where extension ~ '^6[0-9]{3}$'
                  union all select 0, agent_id, (select team_id from agent where id = agent_id) from app_user where username = 'alice'
                  union all select 150, agent_id, (select team_id from agent where id = agent_id) from app_user where username = 'bob'
                  union all select 299, agent_id, (select team_id from agent where id = agent_id) from app_user where username = 'carol';
                create unique index on bench_agent (n);
                create view bench_call as
                  select i, md5('call' || i)::uuid as id, a.id as agent_id, a.team_id, p.n, p.t,
                         -- the call's kind from a hash of i, not i itself: the 100k phase takes every 100th i
                         h %% 3 = 0 as outbound, h %% 10 <> 0 as answered, h,
                         (select id from bench_agent where n = (p.n + 7) %% %1$d) as transfer_agent
                  from generate_series(1, %2$d) i
                  cross join lateral (select floor(power(abs(hashint4(i)) / 2147483648.0, 2) * %1$d)::int as n,
                          now() - interval '365 days' + (i::double precision / %2$d) * interval '365 days' as t,
                          abs(hashint4(i + 1000003)) as h) p
                  join bench_agent a on a.n = p.n;
                -- dave: 20 calls of a year ago, nothing since
                insert into call (id, direction, state, from_number, to_number, agent_id, team_id, created_at, answered_at,
                                  ended_at, hangup_cause, origin)
                select gen_random_uuid(), 'inbound', 'ENDED', '+12125550199', '+15550100', u.agent_id, a.team_id,
                       now() - interval '360 days' + k * interval '1 hour', now() - interval '360 days' + k * interval '1 hour' + interval '5 s',
                       now() - interval '360 days' + k * interval '1 hour' + interval '65 s', 'normal_clearing', 'inbound'
                from app_user u join agent a on a.id = u.agent_id, generate_series(1, 20) k where u.username = 'dave'
                """.formatted(AGENTS, calls));
    }

    /**
     * The calls whose i matches {@code phase}, their legs and transitions. With {@code bulk}, as a restore would:
     * secondary indexes dropped and built again after, foreign keys not checked row by row (the rows are made
     * consistent here), then vacuum analyze as autovacuum would have done.
     */
    private static void seed(Statement sql, String phase, boolean bulk) throws Exception {
        List<String> indexes = new ArrayList<>();
        if (bulk) {
            try (ResultSet rows = sql.executeQuery("""
                    select indexname, indexdef from pg_indexes where tablename in ('call', 'call_leg', 'call_event')
                    and indexname not in (select conname from pg_constraint)""")) {
                while (rows.next()) {
                    indexes.add(rows.getString(2));
                    sql.addBatch("drop index " + rows.getString(1));
                }
            }
            sql.executeBatch();
            sql.execute("set session_replication_role = replica; set maintenance_work_mem = '1GB'");
        }
        sql.execute("""
                insert into call (id, direction, state, from_number, to_number, agent_id, team_id, created_at, answered_at,
                                  ended_at, hangup_cause, disposition, origin)
                select id, case when outbound then 'outbound' else 'inbound' end, 'ENDED',
                       case when outbound then '+15550100' else '+1212' || lpad((i %% 10000000)::text, 7, '0') end,
                       case when outbound then '+1212' || lpad((i %% 10000000)::text, 7, '0') else '+15550100' end,
                       case when answered then agent_id end, team_id, t,
                       case when answered then t + make_interval(secs => i %% 30) end,
                       t + make_interval(secs => i %% 30 + case when answered then 30 + i %% 600 else 20 end),
                       'normal_clearing', case when answered and h %% 2 = 0 then 'ANSWERED' end,
                       case when outbound then 'agent_dial' else 'inbound' end
                from bench_call where %1$s;
                -- call_created_at as V125's trigger sets it (triggers are off while bulk seeding)
                insert into call_leg (channel_id, call_id, role, endpoint, number, agent_id, created_at, answered_at, ended_at,
                                      call_created_at)
                select 'bench-' || i || '-1', id, 'caller', case when outbound then 'PJSIP/agent' else 'PJSIP/telnyx' end,
                       '+15550100', case when outbound then agent_id end, t, t, t + make_interval(secs => 60), t
                from bench_call where %1$s
                union all
                select 'bench-' || i || '-2', id, 'callee', case when outbound then 'PJSIP/telnyx' else 'PJSIP/agent' end,
                       '+15550101', case when not outbound then agent_id end, t, case when answered then t end, t + make_interval(secs => 60), t
                from bench_call where %1$s and (answered or outbound or h %% 20 = 0)
                union all
                select 'bench-' || i || '-3', id, 'callee', 'PJSIP/agent', '+15550102', transfer_agent,
                       t + make_interval(secs => 40), t + make_interval(secs => 45), t + make_interval(secs => 60), t
                from bench_call where %1$s and answered and h %% 20 = 1;
                insert into call_event (call_id, occurred_at, from_state, to_state, event)
                select id, t, null, 'RINGING', 'created' from bench_call where %1$s
                union all
                select id, t + make_interval(secs => i %% 30), 'RINGING', 'ANSWERED', 'answered' from bench_call where %1$s and answered
                union all
                select id, t + make_interval(secs => 60), case when answered then 'ANSWERED' else 'RINGING' end, 'ENDED', 'hangup'
                from bench_call where %1$s
                """.formatted(phase));
        if (bulk) {
            sql.execute("set session_replication_role = origin");
            for (String index : indexes) {
                sql.execute(index);
            }
        }
        try (ResultSet rows = sql.executeQuery("select count(*) from call_leg l join call c on c.id = l.call_id"
                + " where l.call_created_at is distinct from c.created_at")) {
            rows.next();
            assertThat(rows.getLong(1)).as("legs without their call's created_at").isZero();
        }
        sql.execute("vacuum analyze call, call_leg, call_event");
    }
}
