package io.callcenter.call.recording;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.Commands;
import io.callcenter.call.limit.CallTimer;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.Leg;
import io.callcenter.call.store.CallStore;
import io.callcenter.routing.RecordingPolicy;
import io.callcenter.routing.RoutingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Records calls, one file per call, in one of two ways ({@link Mode}); runs on the call's lane.
 * <ul>
 * <li>{@link Mode#BRIDGE} (the default): the call's bridge from the moment two parties talk. The bridge's mix holds
 * every party (a conference too) for as long as the call lives, whoever joins or leaves. Everyone hears the team's
 * announcement on the bridge as the recording starts, so the consent is itself on the recording. Its price: the
 * bridge's recorder is a pair of channels and moves every two-party bridge to the softmix mixer.</li>
 * <li>{@link Mode#MIXMONITOR}: the way dialplan's {@code MixMonitor()} does it, an audiohook on the customer's
 * channel started (through AMI) before the call's bridge forms, so a two-party bridge is a simple one; the consent is
 * played to each party's channel (the customer's is written through the audiohook). MixMonitor raises no ARI event:
 * the file is complete once Asterisk closed it after the customer's channel ended ({@link RecordingCompletion}).
 * Not the default: on Asterisk 22 the audiohook loses what the customer hears after the bridge changes technology
 * (a third party joining), see BENCHMARKS.md (issue 14, MixMonitor through AMI).</li>
 * </ul>
 */
public final class CallRecorder {

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private final Commands asterisk;
    private final CallStore store;
    private final RoutingService routing;
    private final Path directory;
    private final Clock clock;
    private final RecordingCompletion completion;
    private volatile Mode mode = Mode.BRIDGE;

    public enum Mode { BRIDGE, MIXMONITOR }

    /** {@code ended}: where the end of a recording is reported (the engine, which puts it on the call's lane). */
    public CallRecorder(Commands asterisk, CallStore store, RoutingService routing, Path directory, Clock clock,
                        CallTimer timer, Consumer<AsteriskEvent.RecordingEnded> ended) {
        this.asterisk = asterisk;
        this.store = store;
        this.routing = routing;
        this.directory = directory;
        this.clock = clock;
        this.completion = new RecordingCompletion(directory, timer, clock, ended);
    }

    public Mode mode() {
        return mode;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** The callee answered and the parties are about to be bridged. */
    public void beforeBridge(Call call, Instant at) {
        if (mode == Mode.MIXMONITOR) {
            start(call, at);
        }
    }

    /** The parties are bridged: the bridge's recording starts, or MixMonitor's consent is played. */
    public void bridged(Call call, Instant at) {
        if (mode == Mode.MIXMONITOR) {
            announce(call);
        } else {
            start(call, at);
        }
    }

    /**
     * The customer's leg, whose channel carries the recording: the first caller or callee that is no agent (a placed
     * call's callee, an inbound call's caller); a call between agents records its caller. It stays in the call through
     * transfers and conferences; when it leaves, the call is over.
     */
    public static Optional<Leg> recordedLeg(Call call) {
        Optional<Leg> customer = call.legs.values().stream()
                .filter(leg -> leg.agentId == null && (leg.role == Leg.Role.CALLER || leg.role == Leg.Role.CALLEE))
                .findFirst();
        return customer.isPresent() ? customer
                : call.legs.values().stream().filter(leg -> leg.role == Leg.Role.CALLER).findFirst();
    }

    /**
     * MixMonitor starts before the answering party joins the bridge: with the audiohook already on the customer's
     * channel the bridge never goes native RTP (which would re-route the audio when the hook attaches).
     */
    private void start(Call call, Instant at) {
        RecordingPolicy policy = routing.recordingPolicy(call.teamId);
        Optional<Leg> recorded = recordedLeg(call);
        if (!policy.record() || mode == Mode.MIXMONITOR && recorded.isEmpty()) {
            return;
        }
        String name = Recordings.nameFor(call.id, call.recordingCount++);
        try {
            String announcement = policy.announcement() == null || policy.announcement().isBlank() ? null : policy.announcement();
            call.recordingAnnouncement = announcement;
            if (mode == Mode.MIXMONITOR) {
                asterisk.send(new CallCommand.RecordChannelMix(recorded.get().channelId, name, Recordings.FORMAT));
            } else {
                if (announcement != null) {
                    asterisk.send(new CallCommand.PlayOnBridge(call.bridgeId, UUID.randomUUID().toString(), announcement));
                }
                asterisk.send(new CallCommand.RecordBridge(call.bridgeId, name, Recordings.FORMAT));
            }
            call.recordingName = name;
            try {
                store.recordingStarted(call.id, name, Recordings.FORMAT, at);
            } catch (RuntimeException e) {
                if (!io.callcenter.ops.DatabaseOutage.isOutage(e)) {
                    throw e;
                }
                // The call goes on being recorded; the row is written when the file is registered (its end, or
                // the housekeeping's recovery), which inserts a start it does not find.
                log.warn("call {}: recording {} started, its row waits for the database ({})", call.id, name, e.getMessage());
            }
            call.note(at, "recording started", name);
        } catch (AsteriskException e) {
            // A call is never dropped because its recording failed; the event log says it was not recorded.
            log.error("call {}: recording could not start: {}", call.id, e.getMessage());
            call.note(at, "recording failed to start", e.getMessage());
        }
    }

    /** Once the parties are bridged: the consent to each of them (the customer's is on the recording). */
    private void announce(Call call) {
        if (call.recordingName == null || call.recordingAnnouncement == null) {
            return;
        }
        for (Leg leg : call.liveLegs()) {
            try {
                asterisk.send(new CallCommand.Play(leg.channelId, UUID.randomUUID().toString(), call.recordingAnnouncement));
            } catch (AsteriskException e) {
                log.warn("call {}: consent not played to {}: {}", call.id, leg.channelId, e.getMessage());
            }
        }
    }

    /** A party of the call pauses or resumes its recording (the agent taking a card number). */
    public boolean pauseFor(Call call, UUID requestedBy, boolean paused) {
        if (call.legs.values().stream().noneMatch(leg -> requestedBy.equals(leg.agentId) && leg.live())) {
            throw new CommandRefused("not-a-party", "You are not in this call");
        }
        return pause(call, paused, "by agent " + requestedBy);
    }

    /** Payment pause (PCI DSS): the recording keeps running but writes silence, so its timeline stays intact. */
    public boolean pause(Call call, boolean paused, String who) {
        Optional<Leg> recorded = recordedLeg(call);
        if (call.state() != CallState.TALKING || call.recordingName == null || mode == Mode.MIXMONITOR && recorded.isEmpty()) {
            throw new CommandRefused("not-recording", "The call is not being recorded");
        }
        if (call.recordingMuted == paused) {
            return paused;
        }
        asterisk.send(mode == Mode.MIXMONITOR ? new CallCommand.MuteChannelMix(recorded.get().channelId, paused)
                : new CallCommand.MuteRecording(call.recordingName, paused));
        call.recordingMuted = paused;
        call.note(clock.instant(), paused ? "recording paused" : "recording resumed", who);
        return paused;
    }

    /** A leg is gone: the customer's ends the recording, complete once Asterisk has closed its file. */
    public void legGone(Call call, Leg leg) {
        if (mode == Mode.MIXMONITOR && call.recordingName != null && recordedLeg(call).filter(recorded -> recorded == leg).isPresent()) {
            completion.watch(call.recordingName, leg.channelId);
        }
    }

    /** Registers the file's facts; {@code call} is null once the call is over. */
    public void ended(Call call, AsteriskEvent.RecordingEnded ended) {
        try {
            Recordings.FileFacts facts = Recordings.facts(directory, ended.name(),
                    ended.format().isBlank() ? Recordings.FORMAT : ended.format());
            store.recordingFinished(ended.name(), ended.at(), facts, false);
            if (call != null) {
                call.note(ended.at(), ended.failed() ? "recording failed" : "recording finished",
                        ended.name() + " " + facts.durationMillis() + " ms");
                if (ended.name().equals(call.recordingName)) {
                    call.recordingName = null;
                }
            }
        } catch (RuntimeException e) {
            log.error("recording {} could not be registered", ended.name(), e);
        }
    }
}
