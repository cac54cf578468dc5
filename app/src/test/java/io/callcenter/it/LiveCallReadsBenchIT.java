package io.callcenter.it;

import io.callcenter.testkit.sip.SipCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code GET /api/calls/{id}} of a call served from the engine's memory against one served from its rows: the
 * same kind of call (the carrier's call answered by alice, two legs, its log), the first ended (rows) and the
 * second talking (memory), read in turn by the same client. Prints p50/p99 of each and their ratio, never asserts
 * a time. Refuses to print figures if the reads were not what they claim (the live call not live, the ended one
 * not ended, a read not 200). Skipped unless {@code -Dcallcenter.bench=live-reads}.
 */
@EnabledIfSystemProperty(named = "callcenter.bench", matches = "live-reads")
class LiveCallReadsBenchIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final int READS = Integer.getInteger("callcenter.bench.reads", 2000);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestApp app;
    private static CallRecords records;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        records = new CallRecords(app);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_live_call_read_from_memory_against_an_ended_call_read_from_its_rows() throws Exception {
        String token = app.token("alice");
        try (TestPhones phones = new TestPhones()) {
            var alice = phones.agent("1001", "127.0.0.3");
            TestPhones.Connected first = phones.carrierCallAnsweredBy(alice, SIGNAL);
            first.caller().hangup();
            first.agent().awaitEnded(SIGNAL);
            String ended = records.awaitLatest(CallRecords::ended, SIGNAL, "ENDED").path("id").asString();
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
            TestPhones.Connected second = phones.carrierCallAnsweredBy(alice, SIGNAL);
            SipCall caller = second.caller();
            String live = records.awaitLatest(call -> "TALKING".equals(call.path("state").asString()), SIGNAL, "TALKING")
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
