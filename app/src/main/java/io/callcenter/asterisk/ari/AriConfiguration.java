package io.callcenter.asterisk.ari;

import ch.loway.oss.ari4java.tools.BaseAriAction;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

@Configuration(proxyBeanMethods = false)
class AriConfiguration {

    static {
        // REST responses carry fields newer than ari4java's ARI 10.0.0 bindings on Asterisk 22.10.
        BaseAriAction.setObjectMapperLessStrict();
    }

    @Bean(destroyMethod = "close")
    AriAsteriskGateway asteriskGateway(AriProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new AriAsteriskGateway(properties, meters.getIfAvailable());
    }

    @Bean
    AriEventStreamLifecycle ariEventStream(AriProperties properties, AriAsteriskGateway gateway,
                                           ObjectProvider<AsteriskEventListener> listeners,
                                           ObjectProvider<MeterRegistry> meters) {
        return new AriEventStreamLifecycle(properties, gateway, listeners, meters.getIfAvailable());
    }

    @Bean
    AriHealthIndicator ariHealthIndicator(AsteriskGateway gateway) {
        return new AriHealthIndicator(gateway);
    }

    /** Connects after every other bean is ready, so no event can reach a half-built listener. */
    static final class AriEventStreamLifecycle implements SmartLifecycle {

        private final AriEventStream stream;
        private volatile boolean running;

        AriEventStreamLifecycle(AriProperties properties, AriAsteriskGateway gateway,
                                ObjectProvider<AsteriskEventListener> listeners, MeterRegistry meters) {
            AsteriskEventListener fanOut = new FanOut(listeners.orderedStream().toList());
            this.stream = new AriEventStream(properties, fanOut, gateway::info, meters);
            gateway.attach(stream);
        }

        @Override
        public void start() {
            stream.start();
            running = true;
        }

        @Override
        public void stop() {
            stream.stop();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }

    private record FanOut(List<AsteriskEventListener> listeners) implements AsteriskEventListener {
        @Override
        public void onEvent(AsteriskEvent event) {
            listeners.forEach(listener -> listener.onEvent(event));
        }

        @Override
        public void onConnected(AsteriskInfo info) {
            listeners.forEach(listener -> listener.onConnected(info));
        }

        @Override
        public void onDisconnected() {
            listeners.forEach(AsteriskEventListener::onDisconnected);
        }
    }
}
