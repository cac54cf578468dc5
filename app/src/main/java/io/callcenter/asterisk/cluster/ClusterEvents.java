package io.callcenter.asterisk.cluster;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The event streams of every node, merged into the app's one listener (issue 17). Each node's stream tells the
 * {@link ClusterGateway} where channels live, and events reach the app one at a time whichever node sent them (the
 * app's listeners were written for one stream's single thread).
 *
 * <p>A node whose stream stays away for {@code lostAfter} is lost: Asterisk there will never report the hangups
 * of its channels, so they are reported here, each as a {@link AsteriskEvent.ChannelDestroyed} with the cause text
 * {@value #MEDIA_NODE_LOST}, and the calls end as if their parties had hung up (agents freed, records closed).
 * A stream back within {@code lostAfter} (a network blip, not a crash) loses nothing: the app reconciles as after
 * any reconnect.
 */
public final class ClusterEvents {

    public static final String MEDIA_NODE_LOST = "media_node_lost";
    /** Q.850 38, network out of order: the closest cause for a party that vanished with its media node. */
    static final int NETWORK_OUT_OF_ORDER = 38;

    private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);

    private final ClusterGateway gateway;
    private final AsteriskEventListener app;
    private final Duration lostAfter;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Map<String, Future<?>> losing = new ConcurrentHashMap<>();
    private final Object delivery = new Object();

    public ClusterEvents(ClusterGateway gateway, AsteriskEventListener app, Duration lostAfter,
                         ScheduledExecutorService timer, Clock clock) {
        this.gateway = gateway;
        this.app = app;
        this.lostAfter = lostAfter;
        this.timer = timer;
        this.clock = clock;
    }

    /** The listener for one node's event stream. */
    public AsteriskEventListener forNode(String node) {
        if (!gateway.directory().nodes().contains(node)) {
            throw new IllegalArgumentException("unknown node " + node);
        }
        return new AsteriskEventListener() {
            @Override
            public void onEvent(AsteriskEvent event) {
                learn(node, event);
                synchronized (delivery) {
                    AsteriskEvent merged = event;
                    if (event instanceof AsteriskEvent.EndpointStateChanged changed) {
                        // A phone is one agent's whichever node reports it: online while any node that is up has it.
                        // Merged under the delivery lock: the edge changes a phone on every node at once, and a
                        // merge made before the other node's change but delivered after it would undo it.
                        merged = new AsteriskEvent.EndpointStateChanged(changed.at(), changed.technology(),
                                changed.resource(), gateway.directory().endpointOnline(changed.technology(),
                                changed.resource(), gateway.upNodes()));
                    }
                    app.onEvent(merged);
                }
            }

            @Override
            public void onConnected(AsteriskInfo info) {
                Future<?> pending = losing.remove(node);
                if (pending != null) {
                    pending.cancel(false);
                    log.info("Asterisk node {} is back before it was given up", node);
                }
                gateway.nodeUp(node);
                log.info("Asterisk node {} connected ({} {}, asterisk_id {})", node, info.version(), info.startedAt(),
                        info.systemName());
                synchronized (delivery) {
                    app.onConnected(info);
                }
            }

            @Override
            public void onDisconnected() {
                gateway.nodeDown(node);
                log.warn("Lost the event stream of Asterisk node {}; its calls are given up in {} unless it returns",
                        node, lostAfter);
                losing.computeIfAbsent(node, n -> timer.schedule(() -> lose(n), lostAfter.toMillis(), TimeUnit.MILLISECONDS));
                if (gateway.upNodes().isEmpty()) {
                    synchronized (delivery) {
                        app.onDisconnected();
                    }
                }
            }
        };
    }

    /**
     * This instance stopped listening to the node (another instance took the floor): the node is not lost and its
     * calls are not closed, they are just no longer this instance's to command.
     */
    public void released(String node) {
        Future<?> pending = losing.remove(node);
        if (pending != null) {
            pending.cancel(false);
        }
        gateway.nodeDown(node);
    }

    private void learn(String node, AsteriskEvent event) {
        switch (event) {
            case AsteriskEvent.StasisStart start -> gateway.directory().channelOn(node, start.channel().id());
            case AsteriskEvent.ChannelDestroyed destroyed -> gateway.directory().channelGone(destroyed.id());
            case AsteriskEvent.PlaybackFinished finished -> gateway.directory().ended(NodeDirectory.Kind.PLAYBACK,
                    finished.playbackId());
            case AsteriskEvent.RecordingEnded ended -> gateway.directory().ended(NodeDirectory.Kind.RECORDING,
                    ended.name());
            case AsteriskEvent.EndpointStateChanged changed -> gateway.directory().endpointState(node,
                    changed.technology(), changed.resource(), changed.online());
            default -> {
            }
        }
    }

    /** The node stayed away: every channel it carried is reported gone, in one go. */
    void lose(String node) {
        losing.remove(node);
        if (gateway.upNodes().contains(node)) {
            return;
        }
        List<String> channels = gateway.directory().lose(node);
        log.error("Asterisk node {} is lost: closing {} channel(s) it carried ({})", node, channels.size(), MEDIA_NODE_LOST);
        synchronized (delivery) {
            for (String channel : channels) {
                app.onEvent(new AsteriskEvent.ChannelDestroyed(clock.instant(), channel, NETWORK_OUT_OF_ORDER,
                        MEDIA_NODE_LOST));
            }
        }
    }
}
