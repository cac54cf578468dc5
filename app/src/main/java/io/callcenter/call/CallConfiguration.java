package io.callcenter.call;

import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.routing.RoutingService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@Configuration(proxyBeanMethods = false)
class CallConfiguration {

    @Bean(destroyMethod = "close")
    ExecutorService callLaneExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("call-lane-", 0).factory());
    }

    @Bean
    CallEngine callEngine(AsteriskGateway asterisk, AgentDirectory agents, RoutingService routing,
                          CallRepository repository, CallProperties properties,
                          @Value("${callcenter.ari.application}") String application, ExecutorService callLaneExecutor) {
        return new CallEngine(asterisk, agents, routing, repository, properties, application, Clock.systemUTC(),
                callLaneExecutor);
    }
}
