package io.callcenter.it;

import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.routing.RoutingService;

import java.time.Duration;
import java.util.UUID;

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
}
