package io.callcenter.it;

import io.callcenter.call.queue.QueueLog;
import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The team's queue on real Asterisk, PostgreSQL and SIP: more callers than agents. Each waiting caller hears the
 * queue's music (energy measured at the caller), the agent is offered the longest-waiting caller when free (proven
 * by whose tone the agent hears), a caller who hangs up is logged as abandoned with their wait, and a caller still
 * waiting at max wait overflows to the announcement and is released.
 */
class QueueIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final double FIRST_TONE = 440.0;
    private static final double THIRD_TONE = 1300.0;
    private static final double AGENT_TONE = 1100.0;

    private static TestApp app;
    private static QueueSettings queue;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        queue = TestQueues.save(app, "Support", QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15), MAX_WAIT,
                Duration.ofSeconds(6));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void more_callers_than_agents_wait_with_music_in_order_abandon_and_overflow() {
        try {
            // The first caller finds alice free: the queue offers them at once.
            TestQueues.AliceBusy opening = TestQueues.aliceBusy(app, phones, SIGNAL);
            SipPhone alice = opening.alice();
            SipPhone carrier = opening.carrier();
            SipCall busy = opening.caller();
            SipCall atAlice = opening.atAlice();
            awaitLog(rows -> count(rows, QueueLog.Type.ANSWERED) == 1, "first caller answered");

            // Three more wait; each is answered by Asterisk and hears music in the holding bridge.
            Instant placed = Instant.now();
            SipCall first = join(carrier, 2);
            SipCall second = join(carrier, 3);
            SipCall third = join(carrier, 4);
            for (SipCall waiting : List.of(first, second, third)) {
                waiting.awaitAnswered(SIGNAL);
            }
            TestApp.sleep(1500);
            for (SipCall waiting : List.of(first, second, third)) {
                assertThat(CallFlowsIT.rms(waiting.receivedAudio(Duration.ofMillis(1000))))
                        .as("a waiting caller hears music").isGreaterThan(300);
            }
            awaitLog(rows -> count(rows, QueueLog.Type.ANNOUNCED) >= 3, "each waiting caller told their place");
            List<QueueLog> joined = log().stream().filter(row -> row.type() == QueueLog.Type.JOINED).toList();
            UUID firstId = joined.get(1).callId();
            UUID secondId = joined.get(2).callId();
            UUID thirdId = joined.get(3).callId();
            assertThat(log().stream().filter(row -> row.type() == QueueLog.Type.ANNOUNCED && row.callId().equals(thirdId))
                    .findFirst().orElseThrow().position()).as("the third waiting caller is third").isEqualTo(3);

            // The second waiting caller gives up: an abandon with the wait they had.
            Instant hungUp = Instant.now();
            second.hangup();
            QueueLog abandoned = awaitRow(secondId, QueueLog.Type.ABANDONED);
            assertThat(abandoned.waited()).isGreaterThan(Duration.ZERO)
                    .isLessThanOrEqualTo(Duration.between(placed, Instant.now()));

            // Alice frees up: the longest-waiting caller (first) is offered, not the third.
            first.playTone(FIRST_TONE);
            third.playTone(THIRD_TONE);
            atAlice.hangup();
            busy.awaitEnded(SIGNAL);
            SipCall offered = alice.awaitIncomingCall(SIGNAL);
            assertThat(awaitRow(firstId, QueueLog.Type.OFFERED).agentId()).isNotNull();
            offered.answer();
            offered.playTone(AGENT_TONE);
            assertThat(offered.awaitHearing(FIRST_TONE, AUDIO)).as("alice talks to the longest-waiting caller").isTrue();
            assertThat(offered.hears(THIRD_TONE)).as("not to the one who came later").isFalse();
            assertThat(first.awaitHearing(AGENT_TONE, AUDIO)).as("the caller hears alice").isTrue();
            assertThat(awaitRow(firstId, QueueLog.Type.ANSWERED).waited()).isGreaterThan(Duration.between(placed, hungUp));

            // Nobody frees up for the third: at max wait they hear the overflow message and are released.
            third.awaitEnded(MAX_WAIT.plus(Duration.ofSeconds(20)));
            QueueLog timedOut = awaitRow(thirdId, QueueLog.Type.TIMED_OUT);
            assertThat(timedOut.waited()).isGreaterThanOrEqualTo(MAX_WAIT);
            assertThat(awaitRow(thirdId, QueueLog.Type.OVERFLOWED).detail()).isEqualTo("announcement sound:vm-nobodyavail");

            offered.hangup();
            first.awaitEnded(SIGNAL);
        } finally {
            phones.close();
        }
    }

    /** Places a call and waits until the queue logged it, so the order of joining is the order of placing. */
    private static SipCall join(SipPhone carrier, int joinedSoFar) {
        SipCall call = carrier.call(TestApp.DEMO_DID);
        awaitLog(rows -> count(rows, QueueLog.Type.JOINED) >= joinedSoFar, "caller " + joinedSoFar + " joined");
        return call;
    }

    private static List<QueueLog> log() {
        return app.bean(QueueRepository.class).log(queue.id());
    }

    private static long count(List<QueueLog> rows, QueueLog.Type type) {
        return rows.stream().filter(row -> row.type() == type).count();
    }

    private static void awaitLog(Predicate<List<QueueLog>> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.test(log())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("queue log never showed: " + what + "; log: " + log());
            }
            TestApp.sleep(100);
        }
    }

    private static QueueLog awaitRow(UUID callId, QueueLog.Type type) {
        awaitLog(rows -> rows.stream().anyMatch(row -> row.callId().equals(callId) && row.type() == type),
                type + " of " + callId);
        return log().stream().filter(row -> row.callId().equals(callId) && row.type() == type).findFirst().orElseThrow();
    }
}
