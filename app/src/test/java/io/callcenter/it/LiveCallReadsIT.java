package io.callcenter.it;

import io.callcenter.call.CallUpdated;
import io.callcenter.call.store.CallRepository;
import io.callcenter.testkit.sip.SipCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A screen told of a change of a call reads that change (issue 14's follow-up): the call's rows are written behind
 * its steps, so {@code GET /api/calls/{id}} served from the row could answer the step before. Here the call's
 * writes are held back for the whole call (a second session holds the {@code call} table locked against writes, as
 * a database slow to commit would) and, on each {@code CallUpdated} of a real call on real Asterisk, heard on the
 * call's own lane (so the call cannot move on meanwhile), the call is read over HTTP: it must answer with the
 * state announced. Served from the row, every read finds no call at all. Then the writes go through, and the call
 * as its saved rows show it must read exactly as it did from memory. On demand, the reads' cost from memory against
 * the rows ({@code make bench-live-reads}).
 */
class LiveCallReadsIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int READS = Integer.getInteger("callcenter.bench.reads", 2000);
    /** Reads on updates only during the test that checks them (the bench's calls are not read on their lane). */
    private static final java.util.concurrent.atomic.AtomicBoolean readingOnUpdates = new java.util.concurrent.atomic.AtomicBoolean();

    private static TestApp app;
    private static String databaseUrl;

    /** One read of the call, made on its lane as an update was published. */
    private record Read(CallUpdated update, int status, String body, int otherTeamStatus) {
    }

    @BeforeAll
    static void startSystem() {
        databaseUrl = TestDatabase.get().newDatabase();
        app = TestApp.start(databaseUrl, TestAsterisk.get());
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void every_update_of_a_real_call_reads_back_as_announced_while_its_rows_are_not_written() throws Exception {
        List<Read> reads = java.util.Collections.synchronizedList(new ArrayList<>());
        String alice = app.token("alice");
        String carol = app.token("carol");
        readingOnUpdates.set(true);
        app.listen(CallUpdated.class, update -> {
            if (!readingOnUpdates.get()) {
                return;
            }
            HttpResponse<String> mine = app.request("GET", "/api/calls/" + update.callId(), null, alice);
            HttpResponse<String> otherTeam = app.request("GET", "/api/calls/" + update.callId(), null, carol);
            reads.add(new Read(update, mine.statusCode(), mine.body(), otherTeam.statusCode()));
        });
        String lastRead;
        UUID callId;
        try (Connection writesHeld = connection(); TestPhones phones = new TestPhones()) {
            writesHeld.setAutoCommit(false);
            writesHeld.createStatement().execute("lock table call in exclusive mode");
            try {
                TestPhones.Connected call = phones.carrierCallAnsweredBy(phones.agent("1001", "127.0.0.3"), SIGNAL);
                SipCall fromPstn = call.caller();
                fromPstn.playTone(440.0);
                assertThat(call.agent().awaitHearing(440.0, Duration.ofSeconds(5))).as("alice hears the caller").isTrue();
                fromPstn.hangup();
                call.agent().awaitEnded(SIGNAL);
                awaitEndedUpdate(reads);
                assertThat(rowCount("select count(*) from call where id = '" + reads.getLast().update().callId() + "'"))
                        .as("no row of the call written yet").isZero();
            } finally {
                writesHeld.rollback();
            }
            assertThat(reads).extracting(read -> read.update().state()).as("the updates of the call")
                    .contains("RINGING", "TALKING", "ENDED");
            for (Read read : reads) {
                assertThat(read.status()).as("alice reads the call on its " + read.update().state() + " update: "
                        + read.body()).isEqualTo(200);
                JsonNode shown = JSON.readTree(read.body());
                assertThat(shown.path("state").asString()).as("the state read on the update").isEqualTo(read.update().state());
                assertThat(text(shown, "recordingState")).as("recording on " + read.update().state())
                        .isEqualTo(read.update().recordingState());
                assertThat(text(shown, "hangupCause")).as("hangup cause on " + read.update().state())
                        .isEqualTo(read.update().hangupCause());
                assertThat(read.otherTeamStatus()).as("another team's agent, on " + read.update().state()).isEqualTo(404);
            }
            Read ended = reads.getLast();
            lastRead = ended.body();
            callId = ended.update().callId();
        } finally {
            readingOnUpdates.set(false);
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
        }

        // The writes go through now; once all of the call is in, its rows render what memory served.
        JsonNode fromMemory = JSON.readTree(lastRead);
        awaitWritten(callId, fromMemory.path("events").size());
        CallRepository.Scope everything = new CallRepository.Scope(true, null, null);
        JsonNode fromRows = JSON.readTree(app.bean(JsonMapper.class).writeValueAsString(
                app.bean(CallRepository.class).find(callId, everything).orElseThrow()));
        assertThat(withoutRecordingLink(fromRows)).as("the ended call from its rows, against memory")
                .isEqualTo(withoutRecordingLink(fromMemory));
        assertThat(fromMemory.path("legs").size()).as("the caller's and alice's legs").isEqualTo(2);
    }

    /** The recording's file is finished after the call ends: the link comes with that row, not with the call's. */
    private static JsonNode withoutRecordingLink(JsonNode call) {
        ObjectNode copy = (ObjectNode) call.deepCopy();
        copy.remove("recordingUrl");
        return copy;
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode() ? null : node.path(field).asString();
    }

    private static void awaitEndedUpdate(List<Read> reads) {
        Instant deadline = Instant.now().plus(SIGNAL);
        while (reads.stream().noneMatch(read -> "ENDED".equals(read.update().state()))) {
            assertThat(Instant.now()).as("the call's ENDED update").isBefore(deadline);
            TestApp.sleep(50);
        }
    }

    private static void awaitWritten(UUID callId, int events) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (rowCount("select count(*) from call_event e join call c on c.id = e.call_id where c.ended_at is not null"
                + " and c.id = '" + callId + "'") < events) {
            assertThat(Instant.now()).as("the call's " + events + " transitions written").isBefore(deadline);
            TestApp.sleep(100);
        }
    }

    private static int rowCount(String query) throws Exception {
        try (Connection db = connection(); PreparedStatement statement = db.prepareStatement(query);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Connection connection() throws Exception {
        return DriverManager.getConnection(databaseUrl, TestDatabase.get().user(), TestDatabase.get().password());
    }

    /**
     * On demand ({@code -Dcallcenter.bench=live-reads}): {@code GET /api/calls/{id}} of a call served from memory
     * against one served from its rows, the same kind of call (the carrier's, answered by alice: two legs and its
     * log), the first ended (rows), the second talking (memory), read in turn by one client. Prints p50/p99 of each
     * and their ratio, never asserts a time; refuses to print figures if a read was not what it is measured as.
     */
    @Test
    @EnabledIfSystemProperty(named = "callcenter.bench", matches = "live-reads")
    void a_live_call_read_from_memory_against_an_ended_call_read_from_its_rows() throws Exception {
        String token = app.token("alice");
        try (TestPhones phones = new TestPhones()) {
            var alice = phones.agent("1001", "127.0.0.3");
            var carrier = phones.carrier();
            TestPhones.Connected first = phones.carrierCallAnsweredBy(carrier, alice, SIGNAL);
            first.caller().hangup();
            first.agent().awaitEnded(SIGNAL);
            String ended = new CallRecords(app).awaitLatest(CallRecords::ended, SIGNAL, "ENDED").path("id").asString();
            // Out of wrap-up for the second call.
            app.request("POST", "/api/calls/" + ended + "/disposition", "{\"code\":\"ANSWERED\"}", token);
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
            TestPhones.Connected second = phones.carrierCallAnsweredBy(carrier, alice, SIGNAL);
            SipCall caller = second.caller();
            String live = new CallRecords(app).awaitLatest(call -> "TALKING".equals(call.path("state").asString()), SIGNAL, "TALKING")
                    .path("id").asString();

            for (int i = 0; i < READS / 10; i++) {
                read(live, token);
                read(ended, token);
            }
            long[] fromMemory = new long[READS];
            long[] fromRows = new long[READS];
            for (int i = 0; i < READS; i++) {
                fromMemory[i] = timed(live, token, "TALKING");
                fromRows[i] = timed(ended, token, "ENDED");
            }
            caller.hangup();
            second.agent().awaitEnded(SIGNAL);
            Arrays.sort(fromMemory);
            Arrays.sort(fromRows);
            String load = Files.readString(Path.of("/proc/loadavg")).strip();
            System.out.printf("%nLIVE READS (%d each, alternating; load average %s)%n", READS, load);
            System.out.printf("GET /api/calls/{id} from memory (live): p50 %.2f ms, p99 %.2f ms%n",
                    ms(p(fromMemory, 50)), ms(p(fromMemory, 99)));
            System.out.printf("GET /api/calls/{id} from its rows (ended): p50 %.2f ms, p99 %.2f ms%n",
                    ms(p(fromRows, 50)), ms(p(fromRows, 99)));
            System.out.printf("memory / rows: p50 %.2fx, p99 %.2fx%n%n",
                    (double) p(fromMemory, 50) / p(fromRows, 50), (double) p(fromMemory, 99) / p(fromRows, 99));
        } finally {
            TestAsterisk.get().awaitIdle(TestPhones.SETTLE, TestPhones.AGENT_EXTENSIONS);
        }
    }

    /** Nanoseconds of one read; refuses the run if the call is not in the state it is measured as. */
    private static long timed(String id, String token, String state) {
        long start = System.nanoTime();
        HttpResponse<String> response = read(id, token);
        long took = System.nanoTime() - start;
        JsonNode call = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !state.equals(call.path("state").asString())) {
            throw new AssertionError("INVALID RUN: call " + id + " read as " + response.statusCode() + " "
                    + call.path("state") + ", measured as " + state + "; no figures");
        }
        return took;
    }

    private static HttpResponse<String> read(String id, String token) {
        return app.request("GET", "/api/calls/" + id, null, token);
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
