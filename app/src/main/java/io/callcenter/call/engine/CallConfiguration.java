package io.callcenter.call.engine;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.call.DialledLeads;
import io.callcenter.call.guard.OutboundGuard;
import io.callcenter.call.limit.CallTimer;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.queue.QueueStore;
import io.callcenter.destination.InboundRoutes;
import io.callcenter.instance.Role;
import io.callcenter.instance.Roles;
import io.callcenter.call.store.CallStore;
import io.callcenter.routing.DoNotCallList;
import io.callcenter.routing.RoutingService;
import io.callcenter.voicemail.VoicemailBoxes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

@Configuration(proxyBeanMethods = false)
class CallConfiguration {

    /** Closed by {@link #callLanesClosedWithinABound}, not by Spring's unbounded {@code close}. */
    @Bean(destroyMethod = "")
    ExecutorService callLaneExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("call-lane-", 0).factory());
    }

    @Bean
    org.springframework.beans.factory.DisposableBean callLanesClosedWithinABound(ExecutorService callLaneExecutor) {
        return () -> BoundedShutdown.close(callLaneExecutor, java.time.Duration.ofSeconds(10));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService callTimerExecutor() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("call-timer").daemon().factory());
    }

    @Bean
    OutboundGuard outboundGuard(DoNotCallList doNotCall, CallProperties properties,
                                @Value("${callcenter.calls.team-outbound-minutes-per-hour:600}") long teamMinutesPerHour,
                                ObjectProvider<Clock> appClock) {
        // The application's clock (an integration test may fix it: a queue callback's calling hours at night).
        return new OutboundGuard(doNotCall, appClock.getIfUnique(Clock::systemUTC), properties.maxDialsPerMinute(),
                java.time.Duration.ofMinutes(teamMinutesPerHour));
    }

    /** The dialler, when the deployment has one, implements {@link DialledLeads}; without it nobody is claimed. */
    @Bean
    CallEngine callEngine(AsteriskGateway asterisk, AgentDirectory agents, RoutingService routing,
                          CallStore store, CallProperties properties,
                          @Value("${callcenter.ari.application}") String application, ExecutorService callLaneExecutor,
                          ScheduledExecutorService callTimerExecutor, OutboundGuard outboundGuard,
                          ApplicationEventPublisher events, ObjectProvider<DialledLeads> leads, QueueStore queues,
                          InboundRoutes routes, ObjectProvider<VoicemailBoxes> voicemail, Roles roles,
                          @Value("${callcenter.calls.recording-mode:bridge}") String recordingMode) {
        CallTimer timer = (delay, task) -> callTimerExecutor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        CallEngine engine = new CallEngine(asterisk, agents, routing, store, properties, application, Clock.systemUTC(),
                callLaneExecutor, timer, outboundGuard, events::publishEvent, leads.getIfAvailable(() -> DialledLeads.NONE), queues,
                routes, voicemail.getIfAvailable(() -> VoicemailBoxes.NONE));
        engine.recordWith(io.callcenter.call.recording.CallRecorder.Mode.valueOf(recordingMode.toUpperCase(java.util.Locale.ROOT)));
        // Standing by until this instance holds the floor (a click meanwhile is for the other instance's calls);
        // giving it up, the engine forgets its calls.
        engine.floorGivenUp();
        roles.whenHeld(Role.FLOOR, engine::floorTaken, engine::floorGivenUp);
        return engine;
    }

    @Bean
    CallEngineMetrics callEngineMetrics(CallEngine engine) {
        return new CallEngineMetrics(engine);
    }
}
