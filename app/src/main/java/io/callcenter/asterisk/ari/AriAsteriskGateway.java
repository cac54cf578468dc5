package io.callcenter.asterisk.ari;

import ch.loway.oss.ari4java.ARI;
import ch.loway.oss.ari4java.AriVersion;
import ch.loway.oss.ari4java.generated.models.Bridge;
import ch.loway.oss.ari4java.generated.models.Channel;
import ch.loway.oss.ari4java.generated.models.Endpoint;
import ch.loway.oss.ari4java.tools.ARIException;
import ch.loway.oss.ari4java.tools.RestException;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.BridgeSnapshot;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.asterisk.EndpointSnapshot;
import io.callcenter.asterisk.ami.MixMonitors;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AsteriskGateway} over ari4java's REST bindings (ARI 10.0.0, Asterisk 22). */
final class AriAsteriskGateway implements AsteriskGateway {

    private static final Logger log = LoggerFactory.getLogger(AriAsteriskGateway.class);

    private final ARI ari;
    private final AriProperties properties;
    private volatile AriEventStream events;
    /** Set once another app instance took the floor from this one: its calls are no longer its to command. */
    private volatile boolean fenced;
    /** This node's manager interface, for MixMonitor (ARI has no way to start or mute one); null: not configured. */
    private volatile MixMonitors mixMonitors;

    AriAsteriskGateway(AriProperties properties, MeterRegistry meters) {
        this.properties = properties;
        if (properties.transport() == AriProperties.Transport.NETTY) {
            try {
                // testConnection=false: the factory's "test" does not reach Asterisk; connected() tells the truth.
                this.ari = ARI.build(properties.baseUrl(), properties.application(), properties.username(),
                        properties.password(), AriVersion.ARI_10_0_0, false);
            } catch (ARIException e) {
                throw new IllegalStateException("Cannot build the ARI client for " + properties.baseUrl(), e);
            }
        } else {
            this.ari = new ARI();
            ari.setAppName(properties.application());
            ari.setVersion(AriVersion.ARI_10_0_0);
            JdkAriTransport transport = new JdkAriTransport(properties.baseUrl(), properties.username(),
                    properties.password(), properties.maxConnections(), properties.requestTimeout(), meters);
            ari.setHttpClient(transport);
            ari.setWsClient(transport);
        }
    }

    void attach(AriEventStream events) {
        this.events = events;
    }

    /**
     * Fenced, every command is refused (queries still answer): an instance that gave up the floor still has calls in
     * memory, whose timers (talk time limit, queue offers) or an agent's click sent to it must not act on calls
     * another instance runs now.
     */
    void mixMonitors(MixMonitors mixMonitors) {
        this.mixMonitors = mixMonitors;
    }

    void fence(boolean fenced) {
        this.fenced = fenced;
    }

    void close() {
        ari.cleanup();
        MixMonitors monitors = mixMonitors;
        if (monitors != null) {
            monitors.close();
        }
    }

    @Override
    public void answer(String channelId) {
        run("answer " + channelId, () -> ari.channels().answer(channelId).execute());
    }

    @Override
    public void ring(String channelId) {
        run("ring " + channelId, () -> ari.channels().ring(channelId).execute());
    }

    @Override
    public void stopRinging(String channelId) {
        run("stop ringing " + channelId, () -> ari.channels().ringStop(channelId).execute());
    }

    @Override
    public void createBridge(String bridgeId, String name) {
        // "mixing" keeps one bridge for the call's whole life: two parties get native RTP relaying, a third
        // party later (conference) switches it to softmix without moving anyone.
        run("create bridge " + bridgeId, () -> ari.bridges().create().setType("mixing").setBridgeId(bridgeId)
                .setName(name).execute());
    }

    @Override
    public void createHoldingBridge(String bridgeId, String name) {
        run("create holding bridge " + bridgeId, () -> ari.bridges().create().setType("holding").setBridgeId(bridgeId)
                .setName(name).execute());
    }

    @Override
    public void startMoh(String bridgeId, String mohClass) {
        run("start music on hold " + mohClass + " on " + bridgeId,
                () -> ari.bridges().startMoh(bridgeId).setMohClass(mohClass).execute());
    }

    @Override
    public void destroyBridge(String bridgeId) {
        run("destroy bridge " + bridgeId, () -> ari.bridges().destroy(bridgeId).execute());
    }

    @Override
    public void addToBridge(String bridgeId, String channelId) {
        run("add " + channelId + " to " + bridgeId, () -> ari.bridges().addChannel(bridgeId, channelId).execute());
    }

    @Override
    public void removeFromBridge(String bridgeId, String channelId) {
        run("remove " + channelId + " from " + bridgeId, () -> ari.bridges().removeChannel(bridgeId, channelId).execute());
    }

    @Override
    public void recordBridge(String bridgeId, String name, String format) {
        // "fail" if the name exists: a recording is evidence and must never be overwritten.
        run("record bridge " + bridgeId + " as " + name, () -> ari.bridges().record(bridgeId, name, format)
                .setIfExists("fail").setTerminateOn("none").setBeep(false).execute());
    }

    @Override
    public void recordChannel(String channelId, String name, String format, Duration maxDuration, Duration maxSilence,
                              boolean beep, String terminateOn) {
        run("record channel " + channelId + " as " + name, () -> ari.channels().record(channelId, name, format)
                .setIfExists("fail").setBeep(beep).setTerminateOn(terminateOn)
                .setMaxDurationSeconds((int) maxDuration.toSeconds())
                .setMaxSilenceSeconds((int) maxSilence.toSeconds()).execute());
    }

    @Override
    public void messageWaiting(String mailbox, int newMessages, int oldMessages) {
        try {
            ari.mailboxes().update(mailbox, oldMessages, newMessages).execute();
            return;
        } catch (RestException e) {
            if (e.getCode() != 404) {
                throw failure("update mailbox " + mailbox, e);
            }
        }
        // Debian's Asterisk ships neither res_mwi_external nor res_ari_mailboxes, so ARI has no /mailboxes there:
        // a local channel runs MinivmMWI in the dialplan (context callcenter-mwi), which publishes the same MWI
        // state res_pjsip_mwi sends to the phones. Its other half only hangs up.
        String user = mailbox.contains("@") ? mailbox.substring(0, mailbox.indexOf('@')) : mailbox;
        String context = mailbox.contains("@") ? mailbox.substring(mailbox.indexOf('@') + 1) : "default";
        run("message waiting " + mailbox + " " + newMessages + "/" + oldMessages, () -> ari.channels()
                .originate("Local/" + user + "-" + newMessages + "-" + oldMessages + "-" + context + "@callcenter-mwi")
                .setContext("callcenter-mwi").setExtension("done").setPriority(1).setTimeout(5).execute());
    }

    @Override
    public void recordChannelMix(String channelId, String name, String format) {
        manager("record " + channelId).start(channelId, name, format);
    }

    @Override
    public void muteChannelMix(String channelId, boolean muted) {
        manager((muted ? "mute" : "unmute") + " the recording of " + channelId).mute(channelId, muted);
    }

    @Override
    public void stopChannelMix(String channelId) {
        manager("stop recording " + channelId).stop(channelId);
    }

    private MixMonitors manager(String what) {
        if (fenced) {
            throw new AsteriskException("AMI " + what + " refused: another app instance holds the floor", 503, null);
        }
        MixMonitors monitors = mixMonitors;
        if (monitors == null) {
            throw new AsteriskException("AMI " + what + ": no manager interface configured (callcenter.ami)", 503, null);
        }
        return monitors;
    }

    @Override
    public void muteRecording(String name, boolean muted) {
        run((muted ? "mute" : "unmute") + " recording " + name, () -> {
            if (muted) {
                ari.recordings().mute(name).execute();
            } else {
                ari.recordings().unmute(name).execute();
            }
        });
    }

    @Override
    public Optional<String> liveRecording(String name) {
        try {
            return Optional.ofNullable(ari.recordings().getLive(name).execute().getState());
        } catch (RestException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("get live recording " + name, e);
        }
    }

    @Override
    public void stopRecording(String name) {
        try {
            ari.recordings().stop(name).execute();
        } catch (RestException e) {
            if (e.getCode() != 404) {
                throw failure("stop recording " + name, e);
            }
        }
    }

    @Override
    public void createChannel(ChannelRequest request) {
        if (request.ringTimeout() != null) {
            // One request instead of create, its StasisStart and dial: Asterisk subscribes our application to the
            // channel (its events arrive while it rings) and passes it to us once answered.
            run("originate channel " + request.channelId() + " to " + request.endpoint(), () -> ari.channels()
                    .originate(request.endpoint())
                    .setChannelId(request.channelId())
                    .setApp(properties.application())
                    .setAppArgs(String.join(",", request.appArgs()))
                    .setVariables(request.variables())
                    .setTimeout((int) Math.max(1, request.ringTimeout().toSeconds()))
                    .execute());
            return;
        }
        run("create channel " + request.channelId() + " to " + request.endpoint(), () -> ari.channels()
                .create(request.endpoint(), properties.application())
                .setChannelId(request.channelId())
                .setAppArgs(String.join(",", request.appArgs()))
                .setVariables(request.variables())
                .execute());
    }

    @Override
    public void snoop(String channelId, String snoopChannelId, String spy, String whisper, List<String> appArgs) {
        run("snoop " + channelId + " as " + snoopChannelId, () -> ari.channels()
                .snoopChannelWithId(channelId, snoopChannelId, properties.application())
                .setSpy(spy)
                .setWhisper(whisper)
                .setAppArgs(String.join(",", appArgs))
                .execute());
    }

    @Override
    public void dial(String channelId, String callerChannelId, Duration ringTimeout) {
        run("dial " + channelId, () -> {
            var dial = ari.channels().dial(channelId).setTimeout((int) ringTimeout.toSeconds());
            if (callerChannelId != null) {
                dial.setCaller(callerChannelId);
            }
            dial.execute();
        });
    }

    @Override
    public void hangup(String channelId, HangupReason reason) {
        run("hangup " + channelId, () -> ari.channels().hangup(channelId).setReason(reason.ariName()).execute());
    }

    @Override
    public void play(String channelId, String playbackId, String media) {
        run("play " + media + " on " + channelId, () -> ari.channels().playWithId(channelId, playbackId, media).execute());
    }

    @Override
    public void playOnBridge(String bridgeId, String playbackId, String media) {
        run("play " + media + " on bridge " + bridgeId,
                () -> ari.bridges().playWithId(bridgeId, playbackId, media).execute());
    }

    @Override
    public void stopPlayback(String playbackId) {
        try {
            ari.playbacks().stop(playbackId).execute();
        } catch (RestException e) {
            if (e.getCode() != 404) {
                throw failure("stop playback " + playbackId, e);
            }
        }
    }

    @Override
    public void setVariable(String channelId, String name, String value) {
        run("set " + name + " on " + channelId, () -> ari.channels().setChannelVar(channelId, name).setValue(value).execute());
    }

    @Override
    public Optional<String> variable(String channelId, String name) {
        try {
            return Optional.ofNullable(ari.channels().getChannelVar(channelId, name).execute().getValue());
        } catch (RestException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("get " + name + " on " + channelId, e);
        }
    }

    @Override
    public Optional<ChannelSnapshot> channel(String channelId) {
        try {
            return Optional.of(toSnapshot(ari.channels().get(channelId).execute()));
        } catch (RestException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("get channel " + channelId, e);
        }
    }

    @Override
    public List<ChannelSnapshot> channels() {
        return call("list channels", () -> ari.channels().list().execute()).stream()
                .map(AriAsteriskGateway::toSnapshot).toList();
    }

    @Override
    public List<BridgeSnapshot> bridges() {
        return call("list bridges", () -> ari.bridges().list().execute()).stream()
                .map(AriAsteriskGateway::toSnapshot).toList();
    }

    @Override
    public void subscribe(List<String> channelIds, List<String> bridgeIds) {
        for (String id : channelIds) {
            run("subscribe channel " + id, () -> ari.applications().subscribe(properties.application(), "channel:" + id).execute());
        }
        for (String id : bridgeIds) {
            run("subscribe bridge " + id, () -> ari.applications().subscribe(properties.application(), "bridge:" + id).execute());
        }
    }

    @Override
    public void subscribeEndpoints(String technology, List<String> resources) {
        if (resources.isEmpty()) {
            return;
        }
        // ARI takes several event sources in one request, separated by commas.
        String sources = resources.stream().map(resource -> "endpoint:" + technology + "/" + resource)
                .collect(java.util.stream.Collectors.joining(","));
        run("subscribe " + resources.size() + " endpoints of " + technology,
                () -> ari.applications().subscribe(properties.application(), sources).execute());
    }

    @Override
    public EndpointSnapshot endpoint(String technology, String resource) {
        try {
            Endpoint endpoint = ari.endpoints().get().setTech(technology).setResource(resource).execute();
            return new EndpointSnapshot(technology, resource, "online".equalsIgnoreCase(endpoint.getState()),
                    endpoint.getChannel_ids() == null ? List.of() : endpoint.getChannel_ids());
        } catch (RestException e) {
            if (e.getCode() == 404) {
                return EndpointSnapshot.unknown(technology, resource);
            }
            throw failure("get endpoint " + technology + "/" + resource, e);
        }
    }

    @Override
    public List<EndpointSnapshot> endpoints(String technology) {
        return call("list endpoints " + technology, () -> ari.endpoints().listByTech().setTech(technology).execute())
                .stream()
                .map(endpoint -> new EndpointSnapshot(technology, endpoint.getResource(),
                        "online".equalsIgnoreCase(endpoint.getState()),
                        endpoint.getChannel_ids() == null ? List.of() : endpoint.getChannel_ids()))
                .toList();
    }

    @Override
    public void putConfigObject(String configClass, String objectType, String id, Map<String, String> fields) {
        run("put " + configClass + "/" + objectType + "/" + id,
                () -> ari.asterisk().updateObject(configClass, objectType, id).setFields(fields).execute());
    }

    @Override
    public void deleteConfigObject(String configClass, String objectType, String id) {
        try {
            ari.asterisk().deleteObject(configClass, objectType, id).execute();
        } catch (RestException e) {
            if (e.getCode() != 404) {
                throw failure("delete " + configClass + "/" + objectType + "/" + id, e);
            }
        }
    }

    @Override
    public AsteriskInfo info() {
        var info = call("asterisk info", () -> ari.asterisk().getInfo().execute());
        Date started = info.getStatus() == null ? null : info.getStatus().getStartup_time();
        return new AsteriskInfo(
                info.getSystem() == null ? "" : info.getSystem().getVersion(),
                info.getSystem() == null ? "" : info.getSystem().getEntity_id(),
                started == null ? Instant.EPOCH : started.toInstant());
    }

    @Override
    public boolean connected() {
        AriEventStream stream = events;
        return stream != null && stream.connected();
    }

    private static ChannelSnapshot toSnapshot(Channel channel) {
        return new ChannelSnapshot(
                channel.getId(),
                channel.getName(),
                ChannelState.fromAri(channel.getState()),
                channel.getCaller() == null ? "" : nullToEmpty(channel.getCaller().getNumber()),
                channel.getCaller() == null ? "" : nullToEmpty(channel.getCaller().getName()),
                channel.getConnected() == null ? "" : nullToEmpty(channel.getConnected().getNumber()),
                channel.getDialplan() == null ? "" : nullToEmpty(channel.getDialplan().getContext()),
                channel.getDialplan() == null ? "" : nullToEmpty(channel.getDialplan().getExten()),
                channel.getDialplan() == null ? "" : nullToEmpty(channel.getDialplan().getApp_name()),
                channel.getDialplan() == null ? "" : nullToEmpty(channel.getDialplan().getApp_data()),
                channel.getCreationtime() == null ? Instant.now() : channel.getCreationtime().toInstant());
    }

    private static BridgeSnapshot toSnapshot(Bridge bridge) {
        return new BridgeSnapshot(bridge.getId(), nullToEmpty(bridge.getName()), nullToEmpty(bridge.getBridge_type()),
                bridge.getChannels() == null ? List.of() : bridge.getChannels());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private interface RestCall<T> {
        T execute() throws RestException;
    }

    private interface RestRun {
        void execute() throws RestException;
    }

    private void run(String what, RestRun action) {
        if (fenced) {
            throw new AsteriskException("ARI " + what + " refused: another app instance holds the floor", 503, null);
        }
        call(what, () -> {
            action.execute();
            return null;
        });
    }

    private static <T> T call(String what, RestCall<T> action) {
        try {
            T result = action.execute();
            log.debug("ARI {} ok", what);
            return result;
        } catch (RestException e) {
            throw failure(what, e);
        }
    }

    private static AsteriskException failure(String what, RestException e) {
        return new AsteriskException("ARI " + what + " failed: " + e.getMessage(), e.getCode(), e);
    }
}
