package io.callcenter.it;

import io.callcenter.call.queue.QueueLog;
import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.routing.RoutingService;
import io.callcenter.testkit.sip.SipCall;
import io.callcenter.testkit.sip.SipPhone;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A queue of the demo number's team, saved, overflowing to "nobody available": the queue ITs' shared fixture. */
final class TestQueues {

    private TestQueues() {
    }

    static QueueSettings save(TestApp app, String name, QueueStrategy strategy, Duration ringTimeout, Duration maxWait,
                              Duration announceEvery) {
        UUID team = app.bean(RoutingService.class).teamForNumber(TestApp.DEMO_DID).orElseThrow().id();
        QueueSettings queue = new QueueSettings(UUID.randomUUID(), team, name, strategy, ringTimeout, maxWait,
                announceEvery, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), 0, null);
        app.bean(QueueRepository.class).save(queue);
        return queue;
    }

    static List<QueueLog> log(TestApp app, UUID queueId) {
        return app.bean(QueueRepository.class).log(queueId);
    }

    /** Waits (20 s at most) until the queue's log satisfies the condition. */
    static void awaitLog(TestApp app, UUID queueId, Predicate<List<QueueLog>> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.test(log(app, queueId))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("queue log never showed: " + what + "; log: " + log(app, queueId));
            }
            TestApp.sleep(100);
        }
    }

    /** The first row of that type for the call, once it is logged. */
    static QueueLog awaitRow(TestApp app, UUID queueId, UUID callId, QueueLog.Type type) {
        Predicate<QueueLog> wanted = row -> row.callId().equals(callId) && row.type() == type;
        awaitLog(app, queueId, rows -> rows.stream().anyMatch(wanted), type + " of " + callId);
        return log(app, queueId).stream().filter(wanted).findFirst().orElseThrow();
    }

    /** Alice's phone, registered and AVAILABLE, then busy with a first caller of the carrier: the next callers wait. */
    static AliceBusy aliceBusy(TestApp app, TestPhones phones, Duration signal) {
        SipPhone alice = phones.agent("1001", "127.0.0.3");
        app.awaitAgentState("alice", "AVAILABLE", signal);
        SipPhone carrier = phones.carrier();
        SipCall caller = carrier.call(TestApp.DEMO_DID);
        SipCall atAlice = alice.awaitIncomingCall(signal);
        atAlice.answer();
        caller.awaitAnswered(signal);
        return new AliceBusy(alice, carrier, caller, atAlice);
    }

    record AliceBusy(SipPhone alice, SipPhone carrier, SipCall caller, SipCall atAlice) {
    }

    /**
     * A caller of the carrier joins the queue (the {@code joined}th to join it), presses 1, hears their number, confirms
     * and is released; prints how long the release took after the confirmation was logged.
     */
    static UUID requestCallback(TestApp app, UUID queueId, SipPhone carrier, int joined) {
        SipCall waiting = carrier.call(TestApp.DEMO_DID);
        waiting.awaitAnswered(Duration.ofSeconds(10));
        Predicate<QueueLog> isJoin = row -> row.type() == QueueLog.Type.JOINED;
        awaitLog(app, queueId, rows -> rows.stream().filter(isJoin).count() >= joined, "caller " + joined + " joined");
        UUID id = log(app, queueId).stream().filter(isJoin).toList().get(joined - 1).callId();
        TestApp.sleep(500);
        waiting.sendDtmf('1');
        TestApp.sleep(1500);
        assertThat(log(app, queueId)).noneMatch(row -> row.callId().equals(id) && row.type() == QueueLog.Type.CALLBACK_REQUESTED);
        // Pressed during the read-back: the rest of it is dropped and the goodbye follows the word playing.
        waiting.sendDtmf('1');
        awaitRow(app, queueId, id, QueueLog.Type.CALLBACK_REQUESTED);
        Instant confirmed = Instant.now();
        waiting.awaitEnded(Duration.ofSeconds(25));
        System.out.printf("callback %s: caller released %d ms after the confirmation was logged%n", id,
                Duration.between(confirmed, Instant.now()).toMillis());
        return id;
    }
}
