package io.callcenter.asterisk.ari;

import ch.loway.oss.ari4java.tools.BaseAriAction;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.ami.AmiProperties;
import io.callcenter.asterisk.cluster.ClusterEvents;
import io.callcenter.asterisk.cluster.ClusterGateway;
import io.callcenter.instance.Role;
import io.callcenter.instance.Roles;
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
    AriNodes ariNodes(AriProperties properties, AmiProperties ami, ObjectProvider<MeterRegistry> meters) {
        AriNodes nodes = new AriNodes(properties, meters.getIfAvailable());
        if (ami.configured()) {
            // Each node's manager interface on its ARI host: MixMonitor runs where the recorded channel is.
            nodes.byName.forEach((name, node) -> node.mixMonitors(ami.mixMonitors(name.substring(0, name.lastIndexOf(':')))));
        }
        return nodes;
    }

    /** One Asterisk: its own gateway, as always. Several (callcenter.ari.nodes): one gateway routing to each. */
    @Bean
    AsteriskGateway asteriskGateway(AriNodes nodes) {
        return nodes.gateway();
    }

    @Bean
    AriEventStreamLifecycle ariEventStream(AriProperties properties, AriNodes nodes,
                                           ObjectProvider<AsteriskEventListener> listeners,
                                           ObjectProvider<MeterRegistry> meters, Roles roles) {
        return new AriEventStreamLifecycle(properties, nodes, listeners, meters.getIfAvailable(), roles);
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

    /**
     * Connects after every other bean is ready, so no event can reach a half-built listener; and only while this
     * instance holds the floor (issue 17: Asterisk gives an application's events to one websocket, so one instance
     * at a time listens). The floor lost, the streams stop without telling the app a node is gone: the instance that
     * takes the floor adopts the calls, the nodes are fine.
     */
    static final class AriEventStreamLifecycle implements SmartLifecycle {

        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AriEventStreamLifecycle.class);

        private final java.util.function.Supplier<List<AriEventStream>> connect;
        private final Roles roles;
        private final ScheduledExecutorService lossTimer;
        private final ClusterEvents cluster;
        private final List<String> nodeNames;
        private final List<AriAsteriskGateway> gateways;
        private List<AriEventStream> streams = List.of();
        private volatile boolean running;

        AriEventStreamLifecycle(AriProperties properties, AriNodes nodes,
                                ObjectProvider<AsteriskEventListener> listeners, MeterRegistry meters, Roles roles) {
            this.roles = roles;
            this.nodeNames = List.copyOf(nodes.byName.keySet());
            this.gateways = List.copyOf(nodes.byName.values());
            AsteriskEventListener fanOut = new FanOut(listeners.orderedStream().toList());
            if (!nodes.clustered()) {
                lossTimer = null;
                cluster = null;
                AriAsteriskGateway single = nodes.byName.values().iterator().next();
                connect = () -> {
                    AriEventStream stream = new AriEventStream(properties, fanOut, single::info, meters);
                    single.attach(stream);
                    return List.of(stream);
                };
                return;
            }
            lossTimer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("ari-node-loss").daemon().factory());
            cluster = new ClusterEvents((ClusterGateway) nodes.gateway(), fanOut,
                    properties.nodeLostAfter(), lossTimer, Clock.systemUTC());
            connect = () -> {
                List<AriEventStream> made = new ArrayList<>();
                nodes.byName.forEach((name, node) -> {
                    AriEventStream stream = new AriEventStream(nodes.settings.get(name), cluster.forNode(name),
                            node::info, meters);
                    node.attach(stream);
                    made.add(stream);
                });
                return made;
            };
        }

        @Override
        public void start() {
            running = true;
            roles.whenHeld(Role.FLOOR, this::listen, this::stopListening);
        }

        private synchronized void listen() {
            if (!running || !streams.isEmpty()) {
                return;
            }
            log.info("This instance holds the floor: connecting the ARI event stream(s)");
            gateways.forEach(gateway -> gateway.fence(false));
            streams = connect.get();
            streams.forEach(AriEventStream::start);
        }

        private synchronized void stopListening() {
            if (streams.isEmpty()) {
                return;
            }
            log.warn("This instance gave up the floor: its ARI event stream(s) stop, another instance adopts the calls");
            gateways.forEach(gateway -> gateway.fence(true));
            streams.forEach(AriEventStream::stop);
            streams = List.of();
            if (cluster != null) {
                nodeNames.forEach(cluster::released);
            }
        }

        @Override
        public void stop() {
            running = false;
            synchronized (this) {
                streams.forEach(AriEventStream::stop);
                streams = List.of();
            }
            if (lossTimer != null) {
                lossTimer.shutdownNow();
            }
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
