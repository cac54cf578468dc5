package io.callcenter.asterisk.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each channel, bridge, playback and recording lives when several Asterisk media nodes serve one app (issue
 * 17). Learnt from what the app created where and from each node's events; a pure bookkeeper, no I/O.
 *
 * <p>A bridge has a spec (type, name, music class) from the moment the app asks for it, and exists on the nodes
 * where a channel joined it: a call's mixing bridge on its caller's node only, a queue's holding bridge on every
 * node with a caller of that queue (callers on different nodes cannot share one bridge, and hear the same music).
 */
final class NodeDirectory {

    /** What the app asked a bridge to be, replayed on every node the bridge is made on. */
    record BridgeSpec(String id, String name, boolean holding, String mohClass) {
        BridgeSpec withMoh(String mohClass) {
            return new BridgeSpec(id, name, holding, mohClass);
        }
    }

    private final List<String> nodes;
    private final Map<String, String> channelNode = new HashMap<>();
    private final Map<String, BridgeSpec> bridgeSpecs = new HashMap<>();
    private final Map<String, Set<String>> bridgeNodes = new HashMap<>();
    private final Map<String, String> playbackNode = new HashMap<>();
    private final Map<String, String> recordingNode = new HashMap<>();

    enum Kind { PLAYBACK, RECORDING }
    /** technology/resource -> the nodes where that endpoint (an agent's phone) is registered and reachable. */
    private final Map<String, Set<String>> endpointOnline = new HashMap<>();

    NodeDirectory(List<String> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        this.nodes = List.copyOf(nodes);
    }

    List<String> nodes() {
        return nodes;
    }

    synchronized void channelOn(String node, String channelId) {
        requireNode(node);
        channelNode.put(channelId, node);
    }

    synchronized void channelGone(String channelId) {
        channelNode.remove(channelId);
    }

    synchronized Optional<String> nodeOfChannel(String channelId) {
        return Optional.ofNullable(channelNode.get(channelId));
    }

    synchronized Set<String> channelsOn(String node) {
        Set<String> channels = new LinkedHashSet<>();
        channelNode.forEach((channel, at) -> {
            if (at.equals(node)) {
                channels.add(channel);
            }
        });
        return channels;
    }

    /**
     * Where a new channel goes: beside the first of {@code near} (the other channels of its call, which it will be
     * bridged with) whose node is known and up; else the up node carrying the fewest channels, the first listed on
     * a tie. Empty when no node is up.
     */
    synchronized Optional<String> place(Collection<String> near, Set<String> up) {
        for (String channel : near) {
            String node = channelNode.get(channel);
            if (node != null && up.contains(node)) {
                return Optional.of(node);
            }
        }
        String best = null;
        long bestLoad = Long.MAX_VALUE;
        for (String node : nodes) {
            if (!up.contains(node)) {
                continue;
            }
            long load = channelNode.values().stream().filter(node::equals).count();
            if (load < bestLoad) {
                best = node;
                bestLoad = load;
            }
        }
        return Optional.ofNullable(best);
    }

    synchronized void bridgeRequested(BridgeSpec spec) {
        bridgeSpecs.merge(spec.id(), spec, (old, asked) -> asked.mohClass() == null ? asked.withMoh(old.mohClass()) : asked);
    }

    synchronized Optional<BridgeSpec> bridgeSpec(String bridgeId) {
        return Optional.ofNullable(bridgeSpecs.get(bridgeId));
    }

    synchronized void bridgeMoh(String bridgeId, String mohClass) {
        bridgeSpecs.computeIfPresent(bridgeId, (id, spec) -> spec.withMoh(mohClass));
    }

    synchronized void bridgeOn(String node, String bridgeId) {
        requireNode(node);
        bridgeNodes.computeIfAbsent(bridgeId, id -> new LinkedHashSet<>()).add(node);
    }

    /** The nodes the bridge was made on, in the order it was made there (the first is its home). */
    synchronized List<String> nodesOfBridge(String bridgeId) {
        return List.copyOf(bridgeNodes.getOrDefault(bridgeId, Set.of()));
    }

    synchronized void bridgeGone(String bridgeId) {
        bridgeSpecs.remove(bridgeId);
        bridgeNodes.remove(bridgeId);
    }

    /** A playback or recording (by its id or name) was started on the node: stopping it goes there. */
    synchronized void startedOn(Kind kind, String node, String id) {
        requireNode(node);
        named(kind).put(id, node);
    }

    synchronized Optional<String> nodeOf(Kind kind, String id) {
        return Optional.ofNullable(named(kind).get(id));
    }

    synchronized void ended(Kind kind, String id) {
        named(kind).remove(id);
    }

    private Map<String, String> named(Kind kind) {
        return kind == Kind.PLAYBACK ? playbackNode : recordingNode;
    }

    synchronized void endpointState(String node, String technology, String resource, boolean online) {
        requireNode(node);
        Set<String> at = endpointOnline.computeIfAbsent(technology + "/" + resource, key -> new LinkedHashSet<>());
        if (online) {
            at.add(node);
        } else {
            at.remove(node);
        }
    }

    /** Whether the endpoint is online on any of the given nodes (a phone registered at every node counts once). */
    synchronized boolean endpointOnline(String technology, String resource, Set<String> up) {
        return endpointOnline.getOrDefault(technology + "/" + resource, Set.of()).stream().anyMatch(up::contains);
    }

    /**
     * The node is lost: everything on it is forgotten and its channels are returned, so their calls can be told
     * (Asterisk on that node will never report their hangups). A bridge that was also on other nodes stays there.
     */
    synchronized List<String> lose(String node) {
        List<String> lost = new ArrayList<>(channelsOn(node));
        lost.forEach(channelNode::remove);
        bridgeNodes.values().forEach(at -> at.remove(node));
        bridgeNodes.values().removeIf(Set::isEmpty);
        playbackNode.values().removeIf(node::equals);
        recordingNode.values().removeIf(node::equals);
        endpointOnline.values().forEach(at -> at.remove(node));
        return lost;
    }

    private void requireNode(String node) {
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException("unknown node " + node + " (nodes: " + nodes + ")");
        }
    }
}
