package io.callcenter.call.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The call lanes as operators see them: a task that waits in its lane is an event or command of a call held up
 * behind that call's earlier work (an ARI request, a database write), which is where setup latency hides.
 */
final class CallEngineMetrics implements MeterBinder {

    private final CallEngine engine;

    CallEngineMetrics(CallEngine engine) {
        this.engine = engine;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("callcenter.call.lanes.queued", engine, CallEngine::queuedLaneTasks)
                .description("Call tasks (events, commands) waiting in their call's lane").register(registry);
        Gauge.builder("callcenter.call.lanes.active", engine, CallEngine::activeLanes)
                .description("Calls whose lane has work").register(registry);
        Timer wait = Timer.builder("callcenter.call.lanes.wait")
                .description("How long a call's task waited in its lane before it ran")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        engine.observeLaneWaits(nanos -> wait.record(nanos, TimeUnit.NANOSECONDS));
    }
}
