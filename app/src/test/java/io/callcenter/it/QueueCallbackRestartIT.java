package io.callcenter.it;

import io.callcenter.call.queue.QueueLog;
import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.testkit.TestClock;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Press-1 callbacks against the clock and across an app restart, on real Asterisk, PostgreSQL and SIP, for a caller
 * in New York (+1 212) with the calling hours judged on a fixed clock: at 22:00 there the agent is rung, answers, and
 * the callback is refused (logged {@code outside_calling_hours}) and never dialled; a callback asked for at night
 * and still waiting when the app stops is restored by the next instance at 12:00 and placed: the agent is rung
 * first, then the caller, and both hear each other's tones.
 */
class QueueCallbackRestartIT {

    private static final Duration SIGNAL = Duration.ofSeconds(10);
    private static final Duration AUDIO = Duration.ofSeconds(5);
    private static final String NEW_YORK_CALLER = "+12125550143";
    /** 22:00 in New York: outside the calling hours (08:00-21:00). */
    private static final Instant NIGHT = Instant.parse("2026-03-03T03:00:00Z");
    /** 12:00 in New York. */
    private static final Instant NOON = Instant.parse("2026-03-03T17:00:00Z");
    private static final double AGENT_TONE = 700.0;
    private static final double CALLER_TONE = 1100.0;

    private final AppRestarts restarts = new AppRestarts();

    @AfterEach
    void stopEverything() {
        restarts.close();
    }

    @Test
    void a_callback_is_refused_at_night_and_one_waiting_across_an_app_restart_is_placed_agent_first() {
        String database = TestDatabase.get().newDatabase();
        TestApp first = start(database, TestClock.running(NIGHT));
        QueueSettings queue = TestQueues.save(first, "Callbacks", QueueStrategy.LONGEST_IDLE, Duration.ofSeconds(15),
                Duration.ofSeconds(600), Duration.ZERO);
        first.bean(QueueRepository.class).setCallbackEnabled(queue.id(), true);
        SipPhone alice = restarts.phones.agent("1001", "127.0.0.3");
        first.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        setState(first, "BREAK");
        SipPhone carrier = restarts.phones.carrier(NEW_YORK_CALLER);

        // At night: alice is rung for the callback and answers; the caller's number is refused, never dialled.
        UUID refused = TestQueues.requestCallback(first, queue.id(), carrier, 1);
        setState(first, "AVAILABLE");
        SipCall agentRefused = alice.awaitIncomingCall(SIGNAL);
        agentRefused.answer();
        assertThat(TestQueues.awaitRow(first, queue.id(), refused, QueueLog.Type.CALLBACK_FAILED).detail())
                .isEqualTo("outside_calling_hours");
        agentRefused.awaitEnded(SIGNAL);
        assertThatThrownBy(() -> carrier.awaitIncomingCall(Duration.ofSeconds(2)))
                .as("a callback refused at night is never dialled").isInstanceOf(AssertionError.class);

        // Another caller asks while alice is on break; the app stops with the callback waiting.
        first.awaitAgentState("alice", "AVAILABLE", SIGNAL);
        setState(first, "BREAK");
        UUID restored = TestQueues.requestCallback(first, queue.id(), carrier, 2);
        restarts.stop(first);

        TestApp second = start(database, TestClock.running(NOON));
        assertThat(second.bean(QueueRepository.class).callbacks(queue.id(), 10))
                .filteredOn(callback -> callback.callId().equals(restored)).singleElement()
                .satisfies(callback -> assertThat(callback.state()).isEqualTo("callback_waiting"));
        setState(second, "AVAILABLE");
        SipCall agentFirst = alice.awaitIncomingCall(SIGNAL);
        assertThat(TestQueues.awaitRow(second, queue.id(), restored, QueueLog.Type.OFFERED).detail()).isEqualTo("callback");
        assertThat(carrier.calls().stream().filter(call -> call.direction() == SipCall.Direction.INCOMING).count())
                .as("the caller is dialled only once the agent is on the line").isZero();
        agentFirst.answer();
        SipCall atCaller = carrier.awaitIncomingCall(SIGNAL);
        assertThat(atCaller.requestUri()).contains(NEW_YORK_CALLER);
        atCaller.answer();
        agentFirst.playTone(AGENT_TONE);
        atCaller.playTone(CALLER_TONE);
        assertThat(atCaller.awaitHearing(AGENT_TONE, AUDIO)).as("the caller hears the agent").isTrue();
        assertThat(agentFirst.awaitHearing(CALLER_TONE, AUDIO)).as("the agent hears the caller").isTrue();
        TestQueues.awaitRow(second, queue.id(), restored, QueueLog.Type.CALLBACK_ANSWERED);
        atCaller.hangup();
        agentFirst.awaitEnded(SIGNAL);
    }

    private TestApp start(String database, TestClock clock) {
        return restarts.start(() -> TestApp.start(database, TestAsterisk.get(), Map.of(), clock));
    }

    private static void setState(TestApp app, String state) {
        HttpResponse<String> response = app.request("PUT", "/api/me/state", "{\"state\":\"" + state + "\"}",
                app.token("alice"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (!"AVAILABLE".equals(state)) {
            app.awaitAgentState("alice", state, SIGNAL);
        }
    }
}
