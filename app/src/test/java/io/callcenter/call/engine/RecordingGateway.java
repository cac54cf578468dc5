package io.callcenter.call.engine;

import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.BridgeSnapshot;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.EndpointSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fake Asterisk for unit tests: records every command as a readable line and emits no events of its own, so
 * each test feeds exactly the events it means. Channels listed in {@link #gone} answer 404, as Asterisk does.
 */
public final class RecordingGateway implements AsteriskGateway {

    public final List<String> commands = new ArrayList<>();
    public final List<ChannelRequest> created = new ArrayList<>();
    public final Set<String> gone = new HashSet<>();
    /** Commands (by their first word, e.g. "createBridge") Asterisk refuses once each with a 500, as a module failing would. */
    public final Set<String> refuseOnce = new HashSet<>();
    public final Map<String, EndpointSnapshot> endpoints = new HashMap<>();
    /** Endpoints Asterisk does not have: a subscription naming any of them is refused as a whole, with a 422. */
    public final Set<String> missingEndpoints = new HashSet<>();
    public List<ChannelSnapshot> liveChannels = List.of();
    /** Bridges that exist already (an earlier app instance made them): creating one again answers 409. */
    public final Set<String> existingBridges = new HashSet<>();
    /** Live recordings Asterisk reports, by name: their state ("recording"). */
    public final Map<String, String> liveRecordings = new HashMap<>();
    /** Channel variables by "channel/name"; MixMonitor sets MIXMONITOR_FILENAME on its channel, as Asterisk does. */
    public final Map<String, String> variables = new HashMap<>();

    public List<String> drain() {
        List<String> copy = List.copyOf(commands);
        commands.clear();
        return copy;
    }

    private void record(String command, String channelId) {
        if (channelId != null && gone.contains(channelId)) {
            throw new AsteriskException("ARI " + command + " failed: Channel not found", 404, null);
        }
        if (refuseOnce.remove(command.split(" ")[0])) {
            throw new AsteriskException("ARI " + command + " failed: Internal Server Error", 500, null);
        }
        commands.add(command);
    }

    @Override public void answer(String channelId) { record("answer " + channelId, channelId); }
    @Override public void ring(String channelId) { record("ring " + channelId, channelId); }
    @Override public void stopRinging(String channelId) { record("stopRinging " + channelId, channelId); }
    @Override public void createBridge(String bridgeId, String name) { record("createBridge " + bridgeId, null); }
    @Override public void createHoldingBridge(String bridgeId, String name) {
        if (existingBridges.contains(bridgeId)) {
            throw new AsteriskException("ARI create holding bridge failed: Bridge with id '" + bridgeId + "' already exists", 409, null);
        }
        record("createHoldingBridge " + bridgeId, null);
    }
    @Override public void startMoh(String bridgeId, String mohClass) { record("startMoh " + bridgeId + " " + mohClass, null); }
    @Override public void destroyBridge(String bridgeId) { record("destroyBridge " + bridgeId, null); }
    @Override public void addToBridge(String bridgeId, String channelId) { record("addToBridge " + channelId, channelId); }
    @Override public void removeFromBridge(String bridgeId, String channelId) { record("removeFromBridge " + channelId, channelId); }
    @Override public void recordBridge(String bridgeId, String name, String format) { record("recordBridge " + name + "." + format, null); }
    @Override public void muteRecording(String name, boolean muted) { record((muted ? "mute " : "unmute ") + name, null); }
    @Override public void recordChannelMix(String channelId, String name, String format) {
        record("mixMonitor " + channelId + " " + name + "." + format, channelId);
        variables.put(channelId + "/MIXMONITOR_FILENAME", "/var/spool/asterisk/recording/" + name + "." + format);
    }
    @Override public void muteChannelMix(String channelId, boolean muted) { record((muted ? "muteMix " : "unmuteMix ") + channelId, channelId); }
    @Override public void stopChannelMix(String channelId) { record("stopMix " + channelId, channelId); }
    @Override public void stopRecording(String name) { record("stopRecording " + name, null); }
    @Override public Optional<String> liveRecording(String name) { return Optional.ofNullable(liveRecordings.get(name)); }

    @Override
    public void recordChannel(String channelId, String name, String format, Duration maxDuration, Duration maxSilence,
                              boolean beep, String terminateOn) {
        record("recordChannel " + channelId + " " + name + "." + format + " max " + maxDuration.toSeconds() + "s silence "
                + maxSilence.toSeconds() + "s" + (beep ? " beep" : "") + " until " + terminateOn, channelId);
    }

    @Override public void messageWaiting(String mailbox, int newMessages, int oldMessages) { record("messageWaiting " + mailbox + " " + newMessages + "/" + oldMessages, null); }

    @Override
    public void createChannel(ChannelRequest request) {
        created.add(request);
        record("createChannel " + request.endpoint(), null);
        if (request.ringTimeout() != null) {
            // Originated: made and dialled in one request (the dial's line written here, where it now happens).
            record("dial " + request.channelId() + " " + request.ringTimeout().toSeconds() + "s", request.channelId());
        }
    }

    @Override public void dial(String channelId, String caller, Duration timeout) { record("dial " + channelId + " " + timeout.toSeconds() + "s", channelId); }
    @Override public void hangup(String channelId, HangupReason reason) { record("hangup " + channelId + " " + reason, channelId); }
    @Override public void play(String channelId, String playbackId, String media) { record("play " + channelId + " " + media, channelId); }
    @Override public void playOnBridge(String bridgeId, String playbackId, String media) { record("playOnBridge " + bridgeId + " " + media, null); }
    @Override public void stopPlayback(String playbackId) { record("stopPlayback " + playbackId, null); }
    @Override public void subscribeEndpoints(String technology, List<String> resources) {
        if (resources.stream().anyMatch(missingEndpoints::contains)) {
            throw new AsteriskException("ARI subscribe endpoints failed: Provided endpoint not found", 422, null);
        }
        record("subscribeEndpoints " + technology + " " + resources, null);
    }
    @Override public void setVariable(String channelId, String name, String value) { record("set " + channelId + " " + name + "=" + value, channelId); }
    @Override public Optional<String> variable(String channelId, String name) { return Optional.ofNullable(variables.get(channelId + "/" + name)); }
    @Override public Optional<ChannelSnapshot> channel(String channelId) { return Optional.empty(); }
    @Override public List<ChannelSnapshot> channels() { return liveChannels; }
    @Override public List<BridgeSnapshot> bridges() { return List.of(); }
    @Override public void subscribe(List<String> channelIds, List<String> bridgeIds) { record("subscribe " + channelIds + " " + bridgeIds, null); }

    @Override
    public EndpointSnapshot endpoint(String technology, String resource) {
        return endpoints.getOrDefault(resource, EndpointSnapshot.unknown(technology, resource));
    }

    @Override public List<EndpointSnapshot> endpoints(String technology) { return List.copyOf(endpoints.values()); }
    @Override public void putConfigObject(String configClass, String objectType, String id, Map<String, String> fields) { }
    @Override public void deleteConfigObject(String configClass, String objectType, String id) { }
    @Override public AsteriskInfo info() { return new AsteriskInfo("22", "test", Instant.EPOCH); }
    @Override public boolean connected() { return true; }
    @Override public void snoop(String channelId, String snoopChannelId, String spy, String whisper, List<String> appArgs) {
        record("snoop " + channelId + " as " + snoopChannelId + " spy=" + spy + " whisper=" + whisper, channelId);
    }
}
