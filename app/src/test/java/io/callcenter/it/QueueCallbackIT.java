package io.callcenter.it;

import io.callcenter.call.queue.QueueLog;
import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.routing.DoNotCallList;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Press-1 callback on real Asterisk, PostgreSQL and SIP: a caller waiting with no free agent presses 1, hears their
 * number, confirms with 1 and is released; when the agent frees up the callback (which kept the caller's place) rings
 * the agent first and, once the agent answers, the caller's number at the carrier; both hear each other's tones.
 * A second callback to a number now on the do-not-call list is refused after the agent answers and never dialled.
 */
class QueueCallbackIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final double AGENT_TONE = 700.0;
    private static final double CALLER_TONE = 1100.0;

    private static TestApp app;
    private static QueueSettings queue;
    private final TestPhones phones = new TestPhones();

    @BeforeAll
    static void startSystem() {
        app = TestApp.start(TestDatabase.get().newDatabase(), TestAsterisk.get());
        queue = TestQueues.save(app, "Callbacks", QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15),
                Duration.ofSeconds(300), Duration.ZERO);
        app.bean(QueueRepository.class).setCallbackEnabled(queue.id(), true);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_callback_keeps_the_place_rings_the_agent_first_then_the_caller_and_a_do_not_call_number_is_refused() {
        try {
            // Alice is busy with a first caller: the next one waits.
            TestQueues.AliceBusy first = TestQueues.aliceBusy(app, phones, SIGNAL);
            SipPhone alice = first.alice();
            SipPhone carrier = first.carrier();
            SipCall busy = first.caller();
            SipCall atAlice = first.atAlice();
            UUID waitingId = TestQueues.requestCallback(app, queue.id(), carrier, 2);
            assertThat(awaitRow(waitingId, QueueLog.Type.CALLBACK_REQUESTED).detail()).isEqualTo(TestPhones.CARRIER_CALLER);

            List<QueueRepository.Callback> callbacks = app.bean(QueueRepository.class).callbacks(queue.id(), 10);
            assertThat(callbacks).singleElement().satisfies(callback -> {
                assertThat(callback.callId()).isEqualTo(waitingId);
                assertThat(callback.number()).isEqualTo(TestPhones.CARRIER_CALLER);
                assertThat(callback.state()).isEqualTo("callback_waiting");
            });
            HttpResponse<String> listed = app.request("GET", "/api/queues/" + queue.id() + "/callbacks", null,
                    app.token("alice"));
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            assertThat(listed.body()).contains(waitingId.toString(), "callback_waiting");

            // Alice frees up: her phone rings first, for the callback; the caller's number is not dialled yet.
            atAlice.hangup();
            busy.awaitEnded(SIGNAL);
            SipCall agentFirst = alice.awaitIncomingCall(SIGNAL);
            assertThat(awaitRow(waitingId, QueueLog.Type.OFFERED).detail()).isEqualTo("callback");
            assertThat(carrier.calls().stream().filter(call -> call.direction() == SipCall.Direction.INCOMING).count())
                    .as("the caller is dialled only once the agent is on the line").isZero();
            agentFirst.answer();

            SipCall atCaller = carrier.awaitIncomingCall(SIGNAL);
            assertThat(atCaller.requestUri()).contains(TestPhones.CARRIER_CALLER);
            assertThat(awaitRow(waitingId, QueueLog.Type.CALLBACK_PLACED).agentId()).isNotNull();
            atCaller.answer();
            agentFirst.playTone(AGENT_TONE);
            atCaller.playTone(CALLER_TONE);
            assertThat(atCaller.awaitHearing(AGENT_TONE, AUDIO)).as("the caller hears the agent").isTrue();
            assertThat(agentFirst.awaitHearing(CALLER_TONE, AUDIO)).as("the agent hears the caller").isTrue();
            assertThat(awaitRow(waitingId, QueueLog.Type.CALLBACK_ANSWERED).waited())
                    .isGreaterThan(awaitRow(waitingId, QueueLog.Type.CALLBACK_REQUESTED).waited());
            atCaller.hangup();
            agentFirst.awaitEnded(SIGNAL);
            assertThat(app.bean(QueueRepository.class).callbacks(queue.id(), 10).getFirst().state())
                    .isEqualTo("callback_answered");

            // The same caller asks again, but their number is now on the do-not-call list.
            app.awaitAgentState("alice", "AVAILABLE", SIGNAL);
            SipCall busyAgain = carrier.call(TestApp.DEMO_DID);
            SipCall atAliceAgain = alice.awaitIncomingCall(SIGNAL);
            atAliceAgain.answer();
            busyAgain.awaitAnswered(SIGNAL);
            UUID refusedId = TestQueues.requestCallback(app, queue.id(), carrier, 4);
            app.bean(DoNotCallList.class).add(TestPhones.CARRIER_CALLER, "test", "asked not to be called", null);
            atAliceAgain.hangup();
            busyAgain.awaitEnded(SIGNAL);
            SipCall agentRefused = alice.awaitIncomingCall(SIGNAL);
            agentRefused.answer();
            QueueLog failed = awaitRow(refusedId, QueueLog.Type.CALLBACK_FAILED);
            assertThat(failed.detail()).isEqualTo("do_not_call");
            agentRefused.awaitEnded(SIGNAL);
            assertThat(log()).noneMatch(row -> row.callId().equals(refusedId) && row.type() == QueueLog.Type.CALLBACK_PLACED);
            assertThatThrownBy(() -> carrier.awaitIncomingCall(Duration.ofSeconds(2)))
                    .as("a refused callback is never dialled").isInstanceOf(AssertionError.class);
        } finally {
            phones.close();
        }
    }

    private static List<QueueLog> log() {
        return TestQueues.log(app, queue.id());
    }

    private static QueueLog awaitRow(UUID callId, QueueLog.Type type) {
        return TestQueues.awaitRow(app, queue.id(), callId, type);
    }
}
