package io.callcenter.asterisk.cluster;

import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.BridgeSnapshot;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.EndpointSnapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one {@link AsteriskGateway} of an app serving several Asterisk media nodes (issue 17): each command goes to
 * the node its channel, bridge, playback or recording lives on ({@link NodeDirectory}); what concerns every node
 * (agents' endpoints pushed, endpoint subscriptions, message waiting) goes to every node that is up; listings are
 * merged. The call module sees one Asterisk, as before.
 */
public final class ClusterGateway implements AsteriskGateway {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterGateway.class);

    private final Map<String, AsteriskGateway> nodes;
    private final NodeDirectory directory;
    /** Nodes whose event stream is connected: set before the app's listeners hear of the connection. */
    private final Set<String> up = ConcurrentHashMap.newKeySet();

    /** @param nodes each node's own gateway, by node name, in the configured order */
    public ClusterGateway(Map<String, AsteriskGateway> nodes) {
        this.nodes = new LinkedHashMap<>(nodes);
        this.directory = new NodeDirectory(List.copyOf(nodes.keySet()));
    }

    NodeDirectory directory() {
        return directory;
    }

    void nodeUp(String node) {
        up.add(node);
    }

    void nodeDown(String node) {
        up.remove(node);
    }

    /** The nodes whose event stream is connected now, in the configured order. */
    Set<String> upNodes() {
        Set<String> result = new LinkedHashSet<>();
        for (String node : nodes.keySet()) {
            if (up.contains(node)) {
                result.add(node);
            }
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ channels

    @Override
    public void answer(String channelId) {
        onChannel(channelId).answer(channelId);
    }

    @Override
    public void ring(String channelId) {
        onChannel(channelId).ring(channelId);
    }

    @Override
    public void stopRinging(String channelId) {
        onChannel(channelId).stopRinging(channelId);
    }

    @Override
    public void hangup(String channelId, HangupReason reason) {
        onChannel(channelId).hangup(channelId, reason);
    }

    @Override
    public void setVariable(String channelId, String name, String value) {
        onChannel(channelId).setVariable(channelId, name, value);
    }

    @Override
    public Optional<String> variable(String channelId, String name) {
        return findChannelNode(channelId).flatMap(node -> nodes.get(node).variable(channelId, name));
    }

    @Override
    public Optional<ChannelSnapshot> channel(String channelId) {
        return findChannelNode(channelId).flatMap(node -> nodes.get(node).channel(channelId));
    }

    @Override
    public void dial(String channelId, String callerChannelId, Duration ringTimeout) {
        onChannel(channelId).dial(channelId, callerChannelId, ringTimeout);
    }

    @Override
    public void play(String channelId, String playbackId, String media) {
        started(NodeDirectory.Kind.PLAYBACK, channelNode(channelId), playbackId).play(channelId, playbackId, media);
    }

    @Override
    public void recordChannel(String channelId, String name, String format, Duration maxDuration, Duration maxSilence,
                              boolean beep, String terminateOn) {
        started(NodeDirectory.Kind.RECORDING, channelNode(channelId), name)
                .recordChannel(channelId, name, format, maxDuration, maxSilence, beep, terminateOn);
    }

    @Override
    public void createChannel(ChannelRequest request) {
        String node = directory.place(request.near(), upNodes()).orElseThrow(() ->
                new AsteriskException("no Asterisk node is up for channel " + request.channelId(), 503, null));
        log.debug("channel {} to {} placed on {} (beside {})", request.channelId(), request.endpoint(), node,
                request.near());
        // Known before it exists: its StasisStart may arrive before this returns.
        directory.channelOn(node, request.channelId());
        try {
            nodes.get(node).createChannel(request);
        } catch (RuntimeException e) {
            directory.channelGone(request.channelId());
            throw e;
        }
    }

    @Override
    public void snoop(String channelId, String snoopChannelId, String spy, String whisper, List<String> appArgs) {
        String node = channelNode(channelId);
        directory.channelOn(node, snoopChannelId);
        nodes.get(node).snoop(channelId, snoopChannelId, spy, whisper, appArgs);
    }

    @Override
    public List<ChannelSnapshot> channels() {
        return listed(AsteriskGateway::channels, (node, channel) -> directory.channelOn(node, channel.id()));
    }

    // ------------------------------------------------------------------------------------------------- bridges

    /** Made on a node when its first channel joins there: only then is it known which node that is. */
    @Override
    public void createBridge(String bridgeId, String name) {
        directory.bridgeRequested(new NodeDirectory.BridgeSpec(bridgeId, name, false, null));
    }

    @Override
    public void createHoldingBridge(String bridgeId, String name) {
        directory.bridgeRequested(new NodeDirectory.BridgeSpec(bridgeId, name, true, null));
        // "Creating one that exists updates it": on the nodes where it is made already.
        for (String node : directory.nodesOfBridge(bridgeId)) {
            nodes.get(node).createHoldingBridge(bridgeId, name);
        }
    }

    @Override
    public void startMoh(String bridgeId, String mohClass) {
        directory.bridgeMoh(bridgeId, mohClass);
        for (String node : directory.nodesOfBridge(bridgeId)) {
            nodes.get(node).startMoh(bridgeId, mohClass);
        }
    }

    @Override
    public void addToBridge(String bridgeId, String channelId) {
        String node = channelNode(channelId);
        ensureBridge(bridgeId, node);
        nodes.get(node).addToBridge(bridgeId, channelId);
    }

    @Override
    public void removeFromBridge(String bridgeId, String channelId) {
        onChannel(channelId).removeFromBridge(bridgeId, channelId);
    }

    @Override
    public void destroyBridge(String bridgeId) {
        List<String> at = directory.nodesOfBridge(bridgeId);
        directory.bridgeGone(bridgeId);
        for (String node : at) {
            try {
                nodes.get(node).destroyBridge(bridgeId);
            } catch (AsteriskException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void recordChannelMix(String channelId, String name, String format) {
        nodes.get(channelNode(channelId)).recordChannelMix(channelId, name, format);
    }

    @Override
    public void muteChannelMix(String channelId, boolean muted) {
        nodes.get(channelNode(channelId)).muteChannelMix(channelId, muted);
    }

    @Override
    public void stopChannelMix(String channelId) {
        nodes.get(channelNode(channelId)).stopChannelMix(channelId);
    }

    @Override
    public void recordBridge(String bridgeId, String name, String format) {
        started(NodeDirectory.Kind.RECORDING, bridgeHome(bridgeId), name).recordBridge(bridgeId, name, format);
    }

    @Override
    public void playOnBridge(String bridgeId, String playbackId, String media) {
        started(NodeDirectory.Kind.PLAYBACK, bridgeHome(bridgeId), playbackId).playOnBridge(bridgeId, playbackId, media);
    }

    @Override
    public List<BridgeSnapshot> bridges() {
        return listed(AsteriskGateway::bridges, (node, bridge) -> directory.bridgeOn(node, bridge.id()));
    }

    // ------------------------------------------------------------------------------------ playbacks, recordings

    @Override
    public void stopPlayback(String playbackId) {
        onStartedOrEveryUp(NodeDirectory.Kind.PLAYBACK, playbackId, node -> node.stopPlayback(playbackId));
    }

    @Override
    public void muteRecording(String name, boolean muted) {
        String node = directory.nodeOf(NodeDirectory.Kind.RECORDING, name).orElseThrow(() ->
                new AsteriskException("recording " + name + " is on no Asterisk node that is up", 404, null));
        nodes.get(node).muteRecording(name, muted);
    }

    /** Found on a node (an adopted call's recording, started before this app knew), it is noted there. */
    @Override
    public Optional<String> liveRecording(String name) {
        Optional<String> known = directory.nodeOf(NodeDirectory.Kind.RECORDING, name);
        for (String node : known.map(Set::of).orElseGet(this::upNodes)) {
            Optional<String> state = nodes.get(node).liveRecording(name);
            if (state.isPresent()) {
                directory.startedOn(NodeDirectory.Kind.RECORDING, node, name);
                return state;
            }
        }
        return Optional.empty();
    }

    @Override
    public void stopRecording(String name) {
        onStartedOrEveryUp(NodeDirectory.Kind.RECORDING, name, node -> node.stopRecording(name));
    }

    /** Notes that a playback or recording starts on the node (stopping it goes there) and answers that node. */
    private AsteriskGateway started(NodeDirectory.Kind kind, String node, String id) {
        directory.startedOn(kind, node, id);
        return nodes.get(node);
    }

    /** Stops a playback or recording where it was started; one from before the app started, on every node up. */
    private void onStartedOrEveryUp(NodeDirectory.Kind kind, String id, java.util.function.Consumer<AsteriskGateway> stop) {
        Optional<String> node = directory.nodeOf(kind, id);
        directory.ended(kind, id);
        if (node.isPresent()) {
            stop.accept(nodes.get(node.get()));
        } else {
            eachUp((name, gateway) -> stop.accept(gateway));
        }
    }

    // ------------------------------------------------------------------------- what concerns every node alike

    @Override
    public void messageWaiting(String mailbox, int newMessages, int oldMessages) {
        eachUp((name, node) -> node.messageWaiting(mailbox, newMessages, oldMessages));
    }

    @Override
    public void subscribe(List<String> channelIds, List<String> bridgeIds) {
        for (String channel : channelIds) {
            findChannelNode(channel).ifPresent(node -> nodes.get(node).subscribe(List.of(channel), List.of()));
        }
        if (bridgeIds.stream().anyMatch(bridge -> directory.nodesOfBridge(bridge).isEmpty())) {
            // A new app instance adopting calls: learn where their bridges are from the nodes' listings.
            bridges();
        }
        for (String bridge : bridgeIds) {
            for (String node : directory.nodesOfBridge(bridge)) {
                nodes.get(node).subscribe(List.of(), List.of(bridge));
            }
        }
    }

    @Override
    public void subscribeEndpoints(String technology, List<String> resources) {
        eachUp((name, node) -> node.subscribeEndpoints(technology, resources));
    }

    /** Online when online on any node; the channels of every node. */
    @Override
    public EndpointSnapshot endpoint(String technology, String resource) {
        List<EndpointSnapshot> seen = new ArrayList<>();
        eachUp((name, node) -> {
            EndpointSnapshot endpoint = node.endpoint(technology, resource);
            directory.endpointState(name, technology, resource, endpoint.online());
            seen.add(endpoint);
        });
        return merge(technology, resource, seen);
    }

    @Override
    public List<EndpointSnapshot> endpoints(String technology) {
        Map<String, List<EndpointSnapshot>> byResource = new LinkedHashMap<>();
        eachUp((name, node) -> node.endpoints(technology).forEach(endpoint -> {
            directory.endpointState(name, technology, endpoint.resource(), endpoint.online());
            byResource.computeIfAbsent(endpoint.resource(), r -> new ArrayList<>()).add(endpoint);
        }));
        return byResource.entrySet().stream().map(e -> merge(technology, e.getKey(), e.getValue())).toList();
    }

    @Override
    public void putConfigObject(String configClass, String objectType, String id, Map<String, String> fields) {
        eachUp((name, node) -> node.putConfigObject(configClass, objectType, id, fields));
    }

    @Override
    public void deleteConfigObject(String configClass, String objectType, String id) {
        eachUp((name, node) -> node.deleteConfigObject(configClass, objectType, id));
    }

    /** The first node that is up (its version; the start time is that node's). */
    @Override
    public AsteriskInfo info() {
        for (String name : upNodes()) {
            return nodes.get(name).info();
        }
        throw new AsteriskException("no Asterisk node is connected", 503, null);
    }

    @Override
    public boolean connected() {
        return !upNodes().isEmpty();
    }

    // ----------------------------------------------------------------------------------------------- plumbing

    private AsteriskGateway onChannel(String channelId) {
        return nodes.get(channelNode(channelId));
    }

    private String channelNode(String channelId) {
        return findChannelNode(channelId).orElseThrow(() ->
                new AsteriskException("channel " + channelId + " is on no Asterisk node that is up", 404, null));
    }

    /**
     * The channel's node: from the directory, else by asking every node that is up (a channel from before the app
     * started, not listed yet).
     */
    private Optional<String> findChannelNode(String channelId) {
        Optional<String> known = directory.nodeOfChannel(channelId);
        if (known.isPresent()) {
            return known;
        }
        for (String name : upNodes()) {
            if (nodes.get(name).channel(channelId).isPresent()) {
                directory.channelOn(name, channelId);
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Makes the bridge on the node as the app asked for it, the first time a channel there joins it. */
    private void ensureBridge(String bridgeId, String node) {
        if (directory.nodesOfBridge(bridgeId).contains(node)) {
            return;
        }
        NodeDirectory.BridgeSpec spec = directory.bridgeSpec(bridgeId)
                .orElse(new NodeDirectory.BridgeSpec(bridgeId, bridgeId, false, null));
        AsteriskGateway gateway = nodes.get(node);
        try {
            if (spec.holding()) {
                gateway.createHoldingBridge(bridgeId, spec.name());
            } else {
                gateway.createBridge(bridgeId, spec.name());
            }
        } catch (AsteriskException e) {
            // 409: made there before this app instance started (a call adopted after a restart).
            if (e.status() != 409) {
                throw e;
            }
        }
        directory.bridgeOn(node, bridgeId);
        if (spec.mohClass() != null) {
            gateway.startMoh(bridgeId, spec.mohClass());
        }
    }

    /** Where a bridge's recording and announcements go: the node it was made on first, else made now on one. */
    private String bridgeHome(String bridgeId) {
        List<String> at = directory.nodesOfBridge(bridgeId);
        if (!at.isEmpty()) {
            return at.getFirst();
        }
        String node = directory.place(List.of(), upNodes()).orElseThrow(() ->
                new AsteriskException("no Asterisk node is up for bridge " + bridgeId, 503, null));
        ensureBridge(bridgeId, node);
        return node;
    }

    /** Every up node's listing in one, each item noted as living on its node. */
    private <T> List<T> listed(java.util.function.Function<AsteriskGateway, List<T>> listing,
                               java.util.function.BiConsumer<String, T> learn) {
        List<T> all = new ArrayList<>();
        eachUp((name, node) -> listing.apply(node).forEach(item -> {
            learn.accept(name, item);
            all.add(item);
        }));
        return all;
    }

    private void eachUp(java.util.function.BiConsumer<String, AsteriskGateway> action) {
        for (String name : upNodes()) {
            action.accept(name, nodes.get(name));
        }
    }

    private static EndpointSnapshot merge(String technology, String resource, List<EndpointSnapshot> seen) {
        boolean online = seen.stream().anyMatch(EndpointSnapshot::online);
        List<String> channels = seen.stream().flatMap(e -> e.channelIds().stream()).distinct().toList();
        return new EndpointSnapshot(technology, resource, online, channels);
    }
}
