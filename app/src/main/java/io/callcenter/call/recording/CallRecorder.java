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
 * Records calls the way dialplan's {@code MixMonitor()} does: an audiohook on the customer's channel, started before
 * the call's bridge forms, so the two parties' bridge is a simple one (no mixer, no recorder channels) and whatever
 * the customer hears (the agent, a third party, a transferee) and says is in one file for the whole call. The
 * consent is played to each party's channel (the customer's playback is written through the audiohook, so it is on
 * the recording). MixMonitor raises no ARI event: the file is complete once Asterisk closed it after the customer's
 * channel ended, which {@link RecordingCompletion} watches for. Runs on the call's lane.
 */
public final class CallRecorder {

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private final Commands asterisk;
    private final CallStore store;
    private final RoutingService routing;
    private final Path directory;
    private final Clock clock;
    private final RecordingCompletion completion;

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
     * Starts the recording before the answering party joins the bridge: with the audiohook already on the customer's
     * channel the bridge never goes native RTP (which would re-route the audio when the hook attaches).
     */
    public void start(Call call, Instant at) {
        RecordingPolicy policy = routing.recordingPolicy(call.teamId);
        Optional<Leg> recorded = recordedLeg(call);
        if (!policy.record() || recorded.isEmpty()) {
            return;
        }
        String name = Recordings.nameFor(call.id, call.recordingCount++);
        try {
            asterisk.send(new CallCommand.RecordChannelMix(recorded.get().channelId, name, Recordings.FORMAT));
            call.recordingName = name;
            call.recordingAnnouncement = policy.announcement() == null || policy.announcement().isBlank()
                    ? null : policy.announcement();
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
    public void announce(Call call) {
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
        if (call.state() != CallState.TALKING || call.recordingName == null || recorded.isEmpty()) {
            throw new CommandRefused("not-recording", "The call is not being recorded");
        }
        if (call.recordingMuted == paused) {
            return paused;
        }
        asterisk.send(new CallCommand.MuteChannelMix(recorded.get().channelId, paused));
        call.recordingMuted = paused;
        call.note(clock.instant(), paused ? "recording paused" : "recording resumed", who);
        return paused;
    }

    /** A leg is gone: the customer's ends the recording, complete once Asterisk has closed its file. */
    public void legGone(Call call, Leg leg) {
        if (call.recordingName != null && recordedLeg(call).filter(recorded -> recorded == leg).isPresent()) {
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
