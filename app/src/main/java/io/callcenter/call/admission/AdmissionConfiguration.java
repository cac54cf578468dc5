package io.callcenter.call.admission;

import io.callcenter.call.engine.CallEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds the door from the configured limits and the live signals: the engine's calls and lanes, and the ARI
 * adapter's request meters ({@code callcenter.ari.requests}, sampled every second into a window).
 */
@Configuration(proxyBeanMethods = false)
class AdmissionConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService admissionSampler() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("admission-sampler").daemon().factory());
    }

    @Bean
    Admission admission(AdmissionProperties properties, CallEngine engine, ObjectProvider<MeterRegistry> meterRegistry,
                        Environment environment, ScheduledExecutorService admissionSampler) {
        MeterRegistry meters = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
        // The limit is per Asterisk node; the edge spreads calls evenly over the nodes.
        int nodes = Binder.get(environment).bind("callcenter.ari.nodes", Bindable.listOf(String.class))
                .orElse(List.of()).size();
        AriHealthWindow window = new AriHealthWindow(properties.ariWindow());
        Clock clock = Clock.systemUTC();
        AtomicReference<AriHealthWindow.Figures> ari = new AtomicReference<>(
                new AriHealthWindow.Figures(0, 0, java.time.Duration.ZERO));
        admissionSampler.scheduleWithFixedDelay(() -> ari.set(window.sample(clock.instant(), ariTotals(meters))),
                0, 1, TimeUnit.SECONDS);
        Admission admission = new Admission(properties.limits(nodes), () -> {
            AriHealthWindow.Figures figures = ari.get();
            return new AdmissionDecision.Signals(engine.liveCalls(), engine.queuedLaneTasks(), figures.requests(),
                    figures.errors(), figures.meanLatency());
        }, clock, (entry, reason) -> refusals(meters, entry, reason).increment());
        // Every series exists from the start, so a dashboard shows 0 rather than no data.
        for (Admission.Entry entry : Admission.Entry.values()) {
            for (String reason : List.of("calls-at-limit", "lanes-backlogged", "asterisk-errors", "asterisk-slow")) {
                refusals(meters, entry, reason);
            }
        }
        engine.admitWith(admission);
        return admission;
    }

    private static Counter refusals(MeterRegistry meters, Admission.Entry entry, String reason) {
        return Counter.builder("callcenter.calls.refused")
                .description("New calls refused by admission control, by entry (inbound, click, dialer) and reason")
                .tag("entry", entry.label()).tag("reason", reason).register(meters);
    }

    /** Every ARI request so far; a failure is one Asterisk did not answer or answered 5xx (404s are calls gone). */
    static AriHealthWindow.Totals ariTotals(MeterRegistry meters) {
        long requests = 0;
        long errors = 0;
        double millis = 0;
        for (Timer timer : meters.find("callcenter.ari.requests").timers()) {
            long count = timer.count();
            requests += count;
            millis += timer.totalTime(TimeUnit.MILLISECONDS);
            String outcome = timer.getId().getTag("outcome");
            if (outcome != null && (outcome.startsWith("5") || outcome.equals("io_error"))) {
                errors += count;
            }
        }
        return new AriHealthWindow.Totals(requests, errors, millis);
    }
}
