package io.callcenter.it;

import io.callcenter.call.queue.QueueLog;
import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app stops and starts while five callers wait in a queue: Asterisk keeps them in the holding bridge with music
 * while no app runs; the next instance takes them over at their places (from the queue log's join times), their
 * position announcements resume, and an agent who logs in afterwards is offered them in their original order and
 * talks with each (tones both ways). None is dropped or logged lost.
 */
class QueueRestartIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final double[] CALLER_TONES = {440.0, 620.0, 850.0, 1300.0, 1700.0};
    private static final double AGENT_TONE = 1100.0;
    private static final int CALLERS = CALLER_TONES.length;

    private final AppRestarts restarts = new AppRestarts();
    private final TestPhones phones = restarts.phones;

    @AfterEach
    void cleanUp() {
        restarts.close();
    }

    @Test
    void five_waiting_callers_keep_their_places_across_an_app_restart_and_are_served_in_order() {
        TestAsterisk asterisk = TestAsterisk.get();
        String database = TestDatabase.get().newDatabase();
        TestApp first = start(database, asterisk);
        QueueSettings queue = TestQueues.save(first, "Support", QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15),
                Duration.ofSeconds(600), Duration.ofSeconds(5));

        SipPhone carrier = phones.carrier();
        List<SipCall> waiting = new ArrayList<>();
        for (int n = 1; n <= CALLERS; n++) {
            SipCall call = carrier.call(TestApp.DEMO_DID);
            int joined = n;
            awaitLog(first, queue, rows -> count(rows, QueueLog.Type.JOINED) >= joined, "caller " + n + " joined");
            call.awaitAnswered(SIGNAL);
            waiting.add(call);
        }
        List<UUID> order = log(first, queue).stream().filter(row -> row.type() == QueueLog.Type.JOINED)
                .map(QueueLog::callId).toList();

        restarts.stop(first);
        TestApp.sleep(1500);
        for (SipCall call : waiting) {
            assertThat(CallFlowsIT.rms(call.receivedAudio(Duration.ofMillis(1000))))
                    .as("music goes on with the app down").isGreaterThan(300);
        }

        // The next instance takes them over: each hears their place again, the place they had before the restart.
        Instant restarted = Instant.now();
        TestApp second = start(database, asterisk);
        awaitLog(second, queue, rows -> order.stream().allMatch(callId -> rows.stream().anyMatch(row ->
                row.callId().equals(callId) && row.type() == QueueLog.Type.ANNOUNCED && row.at().isAfter(restarted))),
                "every caller told their place after the restart");
        for (int i = 0; i < CALLERS; i++) {
            UUID callId = order.get(i);
            assertThat(log(second, queue).stream().filter(row -> row.callId().equals(callId)
                            && row.type() == QueueLog.Type.ANNOUNCED && row.at().isAfter(restarted))
                    .findFirst().orElseThrow().position()).as("caller %d keeps their place", i + 1).isEqualTo(i + 1);
        }
        for (SipCall call : waiting) {
            assertThat(call.state()).as("no caller dropped").isEqualTo(SipCall.State.ANSWERED);
        }
        for (int i = 0; i < CALLERS; i++) {
            waiting.get(i).playTone(CALLER_TONES[i]);
        }

        // An agent logs in: the callers are offered in the order they joined before the restart, audio both ways.
        // (No wait for AVAILABLE: she is offered the first caller the moment she is, and is ON_CALL at once.)
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        for (int i = 0; i < CALLERS; i++) {
            SipCall offered = alice.awaitIncomingCall(SIGNAL.multipliedBy(2));
            UUID callId = order.get(i);
            awaitLog(second, queue, rows -> rows.stream().anyMatch(row -> row.callId().equals(callId)
                    && row.type() == QueueLog.Type.OFFERED), "caller " + (i + 1) + " offered");
            offered.answer();
            offered.playTone(AGENT_TONE);
            assertThat(offered.awaitHearing(CALLER_TONES[i], AUDIO)).as("alice talks to caller %d", i + 1).isTrue();
            assertThat(waiting.get(i).awaitHearing(AGENT_TONE, AUDIO)).as("caller %d hears alice", i + 1).isTrue();
            offered.hangup();
            waiting.get(i).awaitEnded(SIGNAL);
        }
        List<QueueLog> rows = log(second, queue);
        assertThat(rows).filteredOn(row -> row.type() == QueueLog.Type.ANSWERED).extracting(QueueLog::callId)
                .as("served in their original order").containsExactlyElementsOf(order);
        assertThat(count(rows, QueueLog.Type.LOST)).as("none lost").isZero();
        assertThat(count(rows, QueueLog.Type.ABANDONED)).as("none abandoned").isZero();
        assertThat(count(rows, QueueLog.Type.JOINED)).as("each joined once").isEqualTo(CALLERS);
    }

    private TestApp start(String database, TestAsterisk asterisk) {
        return restarts.start(() -> TestApp.start(database, asterisk));
    }

    private static List<QueueLog> log(TestApp app, QueueSettings queue) {
        return app.bean(QueueRepository.class).log(queue.id());
    }

    private static long count(List<QueueLog> rows, QueueLog.Type type) {
        return rows.stream().filter(row -> row.type() == type).count();
    }

    private static void awaitLog(TestApp app, QueueSettings queue, Predicate<List<QueueLog>> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.test(log(app, queue))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("queue log never showed: " + what + "; log: " + log(app, queue));
            }
            TestApp.sleep(100);
        }
    }
}
