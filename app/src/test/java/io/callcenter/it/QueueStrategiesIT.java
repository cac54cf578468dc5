package io.callcenter.it;

import io.callcenter.agent.AgentDirectory;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ring-all queue on real Asterisk and SIP phones: both agents' phones ring for one caller, the first to answer talks
 * to the caller (tones both ways) and the other phone stops ringing. Then skills and queue login: with alice logged
 * out of the queue and bob at a worse level than dave, the next caller rings dave only.
 */
class QueueStrategiesIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final double CALLER_TONE = 700.0;
    private static final double AGENT_TONE = 1100.0;

    private static TestApp app;
    private static QueueSettings queue;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        queue = TestQueues.save(app, "Everyone", QueueStrategy.RING_ALL, Duration.ofSeconds(20), Duration.ofSeconds(120),
                Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void ring_all_rings_both_phones_the_first_answer_wins_then_skills_and_queue_login_choose_who_rings() {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        SipPhone bob = phones.agent("1002", "127.0.0.4");
        app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        app.awaitAgentState("bob", "AVAILABLE", SIGNAL);
        SipPhone carrier = phones.carrier();
        try {
            SipCall caller = carrier.call(TestApp.DEMO_DID);
            SipCall atAlice = alice.awaitIncomingCall(SIGNAL);
            SipCall atBob = bob.awaitIncomingCall(SIGNAL);
            caller.playTone(CALLER_TONE);
            atBob.answer();
            atBob.playTone(AGENT_TONE);
            atAlice.awaitEnded(SIGNAL);
            assertThat(atAlice.answeredAt()).as("alice's phone stopped ringing unanswered").isNull();
            assertThat(atBob.awaitHearing(CALLER_TONE, AUDIO)).as("bob talks to the caller").isTrue();
            assertThat(caller.awaitHearing(AGENT_TONE, AUDIO)).as("the caller hears bob").isTrue();
            UUID bobId = agentId("1002");
            List<QueueLog> log = awaitLog(rows -> rows.stream().anyMatch(row -> row.type() == QueueLog.Type.ANSWERED));
            assertThat(log).filteredOn(row -> row.type() == QueueLog.Type.OFFERED).hasSize(2);
            assertThat(log).filteredOn(row -> row.type() == QueueLog.Type.ANSWERED).singleElement()
                    .extracting(QueueLog::agentId).isEqualTo(bobId);
            atBob.hangup();
            caller.awaitEnded(SIGNAL);

            // Skills and login: alice logged out of the queue, bob level 2, dave level 1: only dave rings.
            SipPhone dave = phones.agent("1003", "127.0.0.5");
            app.awaitAgentState("dave", "AVAILABLE", SIGNAL);
            app.awaitAgentState("bob", "AVAILABLE", SIGNAL);
            QueueRepository queues = app.bean(QueueRepository.class);
            queues.saveMember(queue.id(), agentId("1001"), 1, false);
            queues.saveMember(queue.id(), bobId, 2, true);
            queues.saveMember(queue.id(), agentId("1003"), 1, true);
            SipCall second = carrier.call(TestApp.DEMO_DID);
            SipCall atDave = dave.awaitIncomingCall(SIGNAL);
            atDave.answer();
            UUID daveId = agentId("1003");
            awaitLog(rows -> rows.stream().anyMatch(row -> row.type() == QueueLog.Type.ANSWERED && daveId.equals(row.agentId())));
            assertThat(alice.hasIncomingCall()).as("alice is logged out of the queue").isFalse();
            assertThat(bob.hasIncomingCall()).as("bob is less skilled than dave").isFalse();
            atDave.hangup();
            second.awaitEnded(SIGNAL);
        } finally {
            phones.close();
        }
    }

    private static UUID agentId(String extension) {
        return app.bean(AgentDirectory.class).byExtension(extension).orElseThrow().id();
    }

    private static List<QueueLog> awaitLog(java.util.function.Predicate<List<QueueLog>> condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        List<QueueLog> rows = app.bean(QueueRepository.class).log(queue.id());
        while (!condition.test(rows)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("queue log never showed what was awaited: " + rows);
            }
            TestApp.sleep(100);
            rows = app.bean(QueueRepository.class).log(queue.id());
        }
        return rows;
    }
}
