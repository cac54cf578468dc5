package io.callcenter.it;

import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.routing.RoutingService;

import io.callcenter.call.queue.QueueLog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

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
}
