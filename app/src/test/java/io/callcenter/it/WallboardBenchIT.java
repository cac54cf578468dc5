package io.callcenter.it;

import io.callcenter.agent.AgentPresence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BENCHMARKS.md's wallboard figures: a team of 200 agents with a day of calls behind it, 50 agent-state events a
 * second for a minute, one console watching. Push latency is the time from an event to the arrival of the first
 * frame the server built after it (same JVM, same clock). A benchmark, not a check: it runs only with
 * {@code -Dcallcenter.bench=wallboard} and asserts only that frames came.
 */
@EnabledIfSystemProperty(named = "callcenter.bench", matches = "wallboard")
class WallboardBenchIT {

    private static final int AGENTS = 200;
    private static final int EVENTS_PER_SECOND = 50;
    private static final int CALLS_TODAY = 20_000;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration MEASURED = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Frame(Instant builtAt, Instant arrived) {
    }

    @Test
    void wallboard_of_200_agents_under_50_events_a_second() throws Exception {
        String databaseUrl = TestDatabase.get().newDatabase();
        TestApp app = TestApp.start(databaseUrl, TestAsterisk.get(), Map.of());
        try {
            String team = JSON.readTree(app.request("GET", "/api/me", null, app.token("maria")).body()).path("teamId").asString();
            List<UUID> agents = seed(databaseUrl, UUID.fromString(team));

            ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                    URI.create(app.webSocketUrl("/api/console/events", app.token("maria"))),
                    new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                Instant arrived = Instant.now();
                                JsonNode frame = JSON.readTree(text.toString());
                                frames.add(new Frame(Instant.parse(frame.path("at").asString()), arrived));
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).join();

            java.util.function.Consumer<Object> events = app::publish;
            AgentPresence.State[] states = {AgentPresence.State.AVAILABLE, AgentPresence.State.ON_CALL,
                    AgentPresence.State.WRAP_UP, AgentPresence.State.BREAK};
            long period = 1_000_000_000L / EVENTS_PER_SECOND;
            publish(events, agents, states, WARM_UP, period, new ArrayList<>());
            frames.clear();

            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            List<Instant> published = new ArrayList<>();
            publish(events, agents, states, MEASURED, period, published);
            Thread.sleep(500);
            double cpu = (os.getProcessCpuTime() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

            List<Frame> sorted = frames.stream().sorted(java.util.Comparator.comparing(Frame::builtAt)).toList();
            List<Long> latencies = new ArrayList<>();
            int f = 0;
            for (Instant event : published) {
                while (f < sorted.size() && sorted.get(f).builtAt().isBefore(event)) {
                    f++;
                }
                if (f < sorted.size()) {
                    latencies.add(Duration.between(event, sorted.get(f).arrived()).toMillis());
                }
            }
            latencies.sort(null);
            System.out.printf("WallboardBenchIT: %d agents, %d events in %d s, %d frames pushed; push latency ms "
                            + "p50 %d, p99 %d, max %d; app process CPU %.0f%% of one core (%d cores)%n",
                    AGENTS, published.size(), MEASURED.toSeconds(), sorted.size(),
                    latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99)),
                    latencies.getLast(), cpu * 100, Runtime.getRuntime().availableProcessors());
            printPlans(databaseUrl, team);
            assertThat(latencies).as("every event was followed by a frame").hasSize(published.size());
        } finally {
            app.close();
        }
    }

    private static void publish(java.util.function.Consumer<Object> events, List<UUID> agents, AgentPresence.State[] states,
                                Duration length, long periodNanos, List<Instant> published) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long next = start; next < end; next += periodNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Instant now = Instant.now();
            published.add(now);
            UUID agent = agents.get(random.nextInt(agents.size()));
            events.accept(new AgentPresence.StateChanged(agent, null, states[random.nextInt(states.length)],
                    now, null, "bench"));
        }
    }

    /** The plans of the wallboard's two call queries on the seeded day (for BENCHMARKS.md). */
    private static void printPlans(String databaseUrl, String team) throws Exception {
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password())) {
            for (String query : List.of(
                    "select id from call where team_id = '%s' and ended_at is null",
                    "select count(*) filter (where answered_at is not null), avg(duration_seconds) from call "
                            + "where team_id = '%s' and created_at >= date_trunc('day', now())")) {
                try (var plan = db.createStatement().executeQuery("explain (analyze, buffers) " + query.formatted(team))) {
                    System.out.println("WallboardBenchIT plan: " + query);
                    while (plan.next()) {
                        System.out.println("WallboardBenchIT plan:   " + plan.getString(1));
                    }
                }
            }
        }
    }

    /** 200 agents in the team and a day of their calls (answered, some abandoned), inserted as the app would. */
    private static List<UUID> seed(String databaseUrl, UUID team) throws Exception {
        List<UUID> agents = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password())) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("""
                    insert into agent (id, extension, display_name, team_id, sip_md5_cred, phone)
                    values (?, ?, ?, ?, md5('bench'), 'sip')""")) {
                for (int i = 0; i < AGENTS; i++) {
                    UUID id = UUID.randomUUID();
                    agents.add(id);
                    insert.setObject(1, id);
                    insert.setString(2, String.valueOf(50_000 + i));
                    insert.setString(3, "Bench Agent " + i);
                    insert.setObject(4, team);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = db.prepareStatement("""
                    insert into call (id, direction, state, from_number, to_number, agent_id, team_id, created_at,
                                      answered_at, ended_at, hangup_cause)
                    values (?, 'inbound', 'ENDED', '+15551230000', '+15550100', ?, ?,
                            date_trunc('day', now()) + ? * interval '1 second',
                            case when ? then date_trunc('day', now()) + (? + 5) * interval '1 second' end,
                            date_trunc('day', now()) + (? + 200) * interval '1 second', 'normal_clearing')""")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                // Spread over the part of today that has passed, so every call counts as today's.
                long secondsToday = Math.max(3600, Duration.between(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS),
                        Instant.now()).toSeconds() - 300);
                for (int i = 0; i < CALLS_TODAY; i++) {
                    long at = random.nextLong(Math.max(1, secondsToday - 300));
                    boolean answered = random.nextInt(20) != 0;
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, answered ? agents.get(random.nextInt(AGENTS)) : null);
                    insert.setObject(3, team);
                    insert.setLong(4, at);
                    insert.setBoolean(5, answered);
                    insert.setLong(6, at);
                    insert.setLong(7, at);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        }
        return agents;
    }
}
