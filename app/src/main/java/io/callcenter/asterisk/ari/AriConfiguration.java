package io.callcenter.asterisk.ari;

import ch.loway.oss.ari4java.tools.BaseAriAction;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.cluster.ClusterEvents;
import io.callcenter.asterisk.cluster.ClusterGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

@Configuration(proxyBeanMethods = false)
class AriConfiguration {

    static {
        // REST responses carry fields newer than ari4java's ARI 10.0.0 bindings on Asterisk 22.10.
        BaseAriAction.setObjectMapperLessStrict();
    }

    @Bean(destroyMethod = "close")
    AriNodes ariNodes(AriProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new AriNodes(properties, meters.getIfAvailable());
    }

    /** One Asterisk: its own gateway, as always. Several (callcenter.ari.nodes): one gateway routing to each. */
    @Bean
    AsteriskGateway asteriskGateway(AriNodes nodes) {
        return nodes.gateway();
    }

    @Bean
    AriEventStreamLifecycle ariEventStream(AriProperties properties, AriNodes nodes,
                                           ObjectProvider<AsteriskEventListener> listeners,
                                           ObjectProvider<MeterRegistry> meters) {
        return new AriEventStreamLifecycle(properties, nodes, listeners, meters.getIfAvailable());
    }

    @Bean
    AriHealthIndicator ariHealthIndicator(AsteriskGateway gateway) {
        return new AriHealthIndicator(gateway);
    }

    /** Each node's ARI client by node name (its URL's host:port), and the gateway the app uses. */
    static final class AriNodes {

        private final Map<String, AriAsteriskGateway> byName = new LinkedHashMap<>();
        private final Map<String, AriProperties> settings = new LinkedHashMap<>();
        private final AsteriskGateway gateway;

        AriNodes(AriProperties properties, MeterRegistry meters) {
            if (properties.nodes().isEmpty()) {
                byName.put(name(properties.url()), new AriAsteriskGateway(properties, meters));
                settings.put(name(properties.url()), properties);
                gateway = byName.values().iterator().next();
            } else {
                for (URI url : properties.nodes()) {
                    AriProperties node = properties.forNode(url);
                    byName.put(name(url), new AriAsteriskGateway(node, meters));
                    settings.put(name(url), node);
                }
                gateway = new ClusterGateway(new LinkedHashMap<String, AsteriskGateway>(byName));
            }
        }

        AsteriskGateway gateway() {
            return gateway;
        }

        boolean clustered() {
            return gateway instanceof ClusterGateway;
        }

        void close() {
            byName.values().forEach(AriAsteriskGateway::close);
        }

        private static String name(URI url) {
            return url.getHost() + ":" + (url.getPort() < 0 ? 8088 : url.getPort());
        }
    }

    /** Connects after every other bean is ready, so no event can reach a half-built listener. */
    static final class AriEventStreamLifecycle implements SmartLifecycle {

        private final List<AriEventStream> streams = new ArrayList<>();
        private final ScheduledExecutorService lossTimer;
        private volatile boolean running;

        AriEventStreamLifecycle(AriProperties properties, AriNodes nodes,
                                ObjectProvider<AsteriskEventListener> listeners, MeterRegistry meters) {
            AsteriskEventListener fanOut = new FanOut(listeners.orderedStream().toList());
            if (!nodes.clustered()) {
                lossTimer = null;
                AriAsteriskGateway single = nodes.byName.values().iterator().next();
                AriEventStream stream = new AriEventStream(properties, fanOut, single::info, meters);
                single.attach(stream);
                streams.add(stream);
                return;
            }
            lossTimer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("ari-node-loss").daemon().factory());
            ClusterEvents events = new ClusterEvents((ClusterGateway) nodes.gateway(), fanOut,
                    properties.nodeLostAfter(), lossTimer, Clock.systemUTC());
            nodes.byName.forEach((name, node) -> {
                AriEventStream stream = new AriEventStream(nodes.settings.get(name), events.forNode(name), node::info,
                        meters);
                node.attach(stream);
                streams.add(stream);
            });
        }

        @Override
        public void start() {
            streams.forEach(AriEventStream::start);
            running = true;
        }

        @Override
        public void stop() {
            streams.forEach(AriEventStream::stop);
            if (lossTimer != null) {
                lossTimer.shutdownNow();
            }
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
