package io.callcenter.agent;

import io.callcenter.asterisk.AsteriskGateway;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

@Configuration(proxyBeanMethods = false)
class AgentConfiguration {

    @Bean(destroyMethod = "close")
    ExecutorService agentPresenceExecutor() {
        // One thread: presence changes are applied strictly one after another, in arrival order.
        return Executors.newSingleThreadExecutor(Thread.ofVirtual().name("agent-presence").factory());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService agentPresenceTimers() {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("agent-wrap-up").daemon().factory());
    }

    @Bean
    AgentPresence agentPresence(AgentRepository agents, AsteriskGateway asterisk, ExecutorService agentPresenceExecutor,
                                ScheduledExecutorService agentPresenceTimers, ApplicationEventPublisher events) {
        return new AgentPresence(agents, asterisk, Clock.systemUTC(), agentPresenceExecutor, agentPresenceTimers,
                events::publishEvent);
    }
}
