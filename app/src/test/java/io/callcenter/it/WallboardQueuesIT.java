package io.callcenter.it;

import io.callcenter.call.queue.QueueLog;
import io.callcenter.call.queue.QueueRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The wallboard's queue tiles over a seeded queue log whose figures are worked out by hand below, on the real
 * application and PostgreSQL; the log is written through the queue module's own {@link QueueRepository#append}, so
 * the push a queue event causes is the one the app makes in production.
 */
class WallboardQueuesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestApp app;
    private static String databaseUrl;
    private static UUID psychologyQueue;
    private static UUID salesQueue;
    /** Today's first seeded moment: ten minutes ago, or just after midnight when today is younger than that. */
    private static Instant base;

    @BeforeAll
    static void start() throws SQLException {
        databaseUrl = TestDatabase.get().newDatabase();
        app = TestApp.start(databaseUrl, TestAsterisk.get());
        String admin = app.token("admin");
        UUID psychology = null;
        UUID sales = null;
        for (JsonNode team : JSON.readTree(app.request("GET", "/api/admin/teams", null, admin).body())) {
            switch (team.path("name").asString()) {
                case "Psychology" -> psychology = UUID.fromString(team.path("id").asString());
                case "Sales" -> sales = UUID.fromString(team.path("id").asString());
                default -> { }
            }
        }
        psychologyQueue = UUID.randomUUID();
        salesQueue = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password())) {
            exec(db, "insert into call_queue (id, team_id, name, service_level_seconds, max_wait_seconds) "
                    + "values (?, ?, 'Counselling', 20, 600)", psychologyQueue, psychology);
            exec(db, "insert into call_queue (id, team_id, name) values (?, ?, 'Sales queue')", salesQueue, sales);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant midnight = LocalDate.ofInstant(now, ZoneId.systemDefault()).atStartOfDay(ZoneId.systemDefault()).toInstant();
        base = now.minus(Duration.ofMinutes(10)).isBefore(midnight) ? midnight.plusSeconds(1) : now.minus(Duration.ofMinutes(10));

        List<QueueLog> log = new ArrayList<>();
        // Yesterday's caller, answered after 15 s: joined before midnight, so none of today's figures.
        caller(log, psychologyQueue, midnight.minusSeconds(60), QueueLog.Type.ANSWERED, 15_000);
        caller(log, psychologyQueue, base, QueueLog.Type.ANSWERED, 10_000);          // within 20 s
        caller(log, psychologyQueue, base, QueueLog.Type.ANSWERED, 30_000);          // answered late
        caller(log, psychologyQueue, base, QueueLog.Type.ANSWERED, 20_000);          // at the threshold: within
        caller(log, psychologyQueue, base, QueueLog.Type.ABANDONED, 3_000);          // short abandon
        caller(log, psychologyQueue, base, QueueLog.Type.ABANDONED, 45_000);         // abandoned
        caller(log, psychologyQueue, base, QueueLog.Type.OVERFLOWED, 90_000);        // max wait reached
        caller(log, psychologyQueue, base, QueueLog.Type.LOST, 4_000);               // Asterisk restarted: no abandon
        // Two callers still waiting: one heard their position, the other rang an agent who did not answer.
        UUID first = UUID.randomUUID();
        log.add(row(psychologyQueue, first, base.plusSeconds(60), QueueLog.Type.JOINED, 0));
        log.add(row(psychologyQueue, first, base.plusSeconds(90), QueueLog.Type.ANNOUNCED, 30_000));
        UUID second = UUID.randomUUID();
        log.add(row(psychologyQueue, second, base.plusSeconds(120), QueueLog.Type.JOINED, 0));
        log.add(row(psychologyQueue, second, base.plusSeconds(121), QueueLog.Type.OFFERED, 1_000));
        log.add(row(psychologyQueue, second, base.plusSeconds(136), QueueLog.Type.RANG_OUT, 16_000));
        // Another team's caller, waiting since before all of them: never on Psychology's board.
        log.add(row(salesQueue, UUID.randomUUID(), base, QueueLog.Type.JOINED, 0));
        app.bean(QueueRepository.class).append(log);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /**
     * Today: offered 9 (the two waiting and the lost caller included, yesterday's not), short abandons 1, so a base
     * of 8; answered 3 (waits 10, 30, 20 s), within 20 s: 2 → service level 2/8 = 25 %; abandoned 1 (45 s) → abandon
     * rate 1/8 = 12.5 %; ASA (10 + 30 + 20) / 3 = 20 s. Now: 2 waiting, the longest since base + 60 s.
     * Then one more caller joins: the manager's socket is pushed a board with 3 waiting and 10 offered.
     */
    @Test
    void the_queue_tiles_by_hand_and_a_caller_joining_is_pushed() throws Exception {
        JsonNode board = JSON.readTree(app.request("GET", "/api/console/wallboard", null, app.token("maria")).body());
        assertThat(board.path("queues")).hasSize(1);
        JsonNode tile = board.path("queues").get(0);
        assertThat(tile.path("queueId").asString()).isEqualTo(psychologyQueue.toString());
        assertThat(tile.path("name").asString()).isEqualTo("Counselling");
        assertThat(tile.path("serviceLevelSeconds").asInt()).isEqualTo(20);
        assertThat(tile.path("waiting").asInt()).isEqualTo(2);
        assertThat(Instant.parse(tile.path("longestWaitingSince").asString())).isEqualTo(base.plusSeconds(60));
        assertThat(tile.path("offered").asInt()).isEqualTo(9);
        assertThat(tile.path("answered").asInt()).isEqualTo(3);
        assertThat(tile.path("answeredWithin").asInt()).isEqualTo(2);
        assertThat(tile.path("abandoned").asInt()).isEqualTo(1);
        assertThat(tile.path("shortAbandons").asInt()).isEqualTo(1);
        assertThat(tile.path("serviceLevel").asDouble()).isCloseTo(0.25, within(1e-9));
        assertThat(tile.path("abandonRate").asDouble()).isCloseTo(0.125, within(1e-9));
        assertThat(tile.path("asaSeconds").asDouble()).isCloseTo(20.0, within(1e-9));

        TestSocket frames = TestSocket.open(app.webSocketUrl("/api/console/events", app.token("maria")));
        try {
            assertThat(JSON.readTree(frames.next()).path("queues").get(0).path("waiting").asInt()).isEqualTo(2);
            app.bean(QueueRepository.class).append(List.of(
                    row(psychologyQueue, UUID.randomUUID(), Instant.now(), QueueLog.Type.JOINED, 0)));
            JsonNode pushed = JSON.readTree(frames.next()).path("queues").get(0);
            assertThat(pushed.path("waiting").asInt()).isEqualTo(3);
            assertThat(pushed.path("offered").asInt()).isEqualTo(10);
            assertThat(Instant.parse(pushed.path("longestWaitingSince").asString())).isEqualTo(base.plusSeconds(60));
        } finally {
            frames.close();
        }
    }

    /**
     * The page draws a row of tiles for the queue from the board it is pushed (the ready element is a queue tile),
     * saved for a person to look at: app/target/wallboard-queues-it/wallboard-queues.png.
     */
    @Test
    void the_console_shows_the_queue_row() {
        Path dir = TestAsterisk.repoDir().resolve("app/target/wallboard-queues-it");
        Path microphone = dir.resolve("silence-tone.wav");
        BrowserSoftphone.writeToneWav(microphone, 440, Duration.ofSeconds(2));
        // Plain HTTP on 127.0.0.1 is a secure context to Chromium, and maria has no phone for the console to register.
        BrowserSoftphone page = BrowserSoftphone.start("http://127.0.0.1:" + app.port() + "/", microphone, dir);
        try {
            JsonNode landed = page.run("signIn", Duration.ofSeconds(20), "username", "maria", "password", TestApp.USER_PASSWORD);
            assertThat(landed.path("page").asString()).isEqualTo("console");
            JsonNode shot = page.run("screenshotPage", Duration.ofSeconds(20), "hash", "#wallboard", "ready", "q-waiting",
                    "name", "wallboard-queues", "dir", dir.toString());
            assertThat(Path.of(shot.path("path").asString())).exists();
        } finally {
            page.close();
        }
    }

    /** A caller who joined at {@code joined} and left the queue by {@code last} after {@code waitMs}. */
    private static void caller(List<QueueLog> log, UUID queue, Instant joined, QueueLog.Type last, long waitMs) {
        UUID call = UUID.randomUUID();
        log.add(row(queue, call, joined, QueueLog.Type.JOINED, 0));
        if (last == QueueLog.Type.OVERFLOWED) {
            log.add(row(queue, call, joined.plusMillis(waitMs), QueueLog.Type.TIMED_OUT, waitMs));
        }
        log.add(row(queue, call, joined.plusMillis(waitMs), last, waitMs));
    }

    private static QueueLog row(UUID queue, UUID call, Instant at, QueueLog.Type type, long waitMs) {
        return new QueueLog(queue, call, at, type, null, Duration.ofMillis(waitMs), null, null);
    }

    private static void exec(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}
