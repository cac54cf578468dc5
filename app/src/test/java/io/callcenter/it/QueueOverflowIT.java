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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queue-to-queue overflow on real Asterisk, PostgreSQL and SIP: the team's queue has no member logged in, so its
 * caller waits with music until max wait and overflows into a second queue whose member is free. The caller hears
 * music there too (they left the first holding bridge, so what they hear is the second's), reaches the second queue's
 * agent with tones both ways, and each queue's log shows its own stay.
 */
class QueueOverflowIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final Duration FIRST_MAX_WAIT = Duration.ofSeconds(10);
    private static final double CALLER_TONE = 700.0;
    private static final double AGENT_TONE = 1100.0;

    private static TestApp app;
    private static QueueSettings first;
    private static QueueSettings second;

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        QueueSettings plain = TestQueues.save(app, "First line", QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15),
                FIRST_MAX_WAIT, Duration.ZERO);
        second = TestQueues.save(app, "Second line", QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15),
                Duration.ofSeconds(120), Duration.ZERO);
        first = new QueueSettings(plain.id(), plain.teamId(), plain.name(), plain.strategy(), plain.ringTimeout(),
                plain.maxWait(), plain.announceEvery(), plain.serviceLevel(), plain.mohClass(),
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.QUEUE, second.id().toString()), 0, null);
        QueueRepository queues = app.bean(QueueRepository.class);
        queues.save(first);
        UUID alice = UUID.fromString(JsonMapper.builder().build().readTree(
                app.request("GET", "/api/me", null, app.token("alice")).body()).path("agentId").asString());
        // Alice serves both queues but is logged out of the first: nobody there takes the caller.
        queues.saveMember(first.id(), alice, 1, false);
        queues.saveMember(second.id(), alice, 1, true);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_caller_nobody_takes_in_the_first_queue_overflows_at_max_wait_into_the_second_and_reaches_its_agent() {
        try (TestPhones phones = new TestPhones()) {
            SipPhone alice = phones.agent("1001", "127.0.0.3");
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
            SipCall caller = phones.carrier().call(TestApp.DEMO_DID);
            caller.awaitAnswered(SIGNAL);
            TestQueues.awaitLog(app, first.id(), rows -> !rows.isEmpty(), "the caller joined the first queue");
            UUID callId = TestQueues.log(app, first.id()).getFirst().callId();
            TestApp.sleep(1500);
            assertThat(CallFlowsIT.rms(caller.receivedAudio(Duration.ofMillis(1000))))
                    .as("music in the first queue").isGreaterThan(300);

            // Max wait: the first queue logs its stay and the caller joins the second, where alice is free.
            SipCall atAlice = alice.awaitIncomingCall(FIRST_MAX_WAIT.plus(SIGNAL));
            assertThat(TestQueues.log(app, first.id())).filteredOn(row -> row.callId().equals(callId))
                    .extracting(QueueLog::type).containsExactly(QueueLog.Type.JOINED, QueueLog.Type.TIMED_OUT,
                            QueueLog.Type.OVERFLOWED);
            QueueLog timedOut = TestQueues.awaitRow(app, first.id(), callId, QueueLog.Type.TIMED_OUT);
            assertThat(timedOut.waited()).isGreaterThanOrEqualTo(FIRST_MAX_WAIT);
            assertThat(TestQueues.awaitRow(app, first.id(), callId, QueueLog.Type.OVERFLOWED).detail())
                    .isEqualTo("queue " + second.id());
            QueueLog joinedSecond = TestQueues.awaitRow(app, second.id(), callId, QueueLog.Type.JOINED);
            assertThat(joinedSecond.detail()).isEqualTo("overflow from queue " + first.id());
            assertThat(joinedSecond.waited()).isEqualTo(Duration.ZERO);
            // A whole window in the second bridge (the move between bridges is a moment of silence).
            TestApp.sleep(1500);
            assertThat(CallFlowsIT.rms(caller.receivedAudio(Duration.ofMillis(1000))))
                    .as("music in the second queue while alice's phone rings").isGreaterThan(300);

            atAlice.answer();
            caller.playTone(CALLER_TONE);
            atAlice.playTone(AGENT_TONE);
            assertThat(atAlice.awaitHearing(CALLER_TONE, AUDIO)).as("alice hears the caller").isTrue();
            assertThat(caller.awaitHearing(AGENT_TONE, AUDIO)).as("the caller hears alice").isTrue();
            QueueLog answered = TestQueues.awaitRow(app, second.id(), callId, QueueLog.Type.ANSWERED);
            assertThat(answered.waited()).as("the second queue's own wait").isLessThan(timedOut.waited());
            assertThat(TestQueues.log(app, second.id())).filteredOn(row -> row.callId().equals(callId))
                    .extracting(QueueLog::type).containsExactly(QueueLog.Type.JOINED, QueueLog.Type.OFFERED,
                            QueueLog.Type.ANSWERED);

            atAlice.hangup();
            caller.awaitEnded(SIGNAL);
            JsonNode call = new CallRecords(app).call(callId.toString());
            assertThat(ConferenceRecordingIT.events(call)).containsSubsequence("joined queue", "overflowed to queue");
        }
    }
}
