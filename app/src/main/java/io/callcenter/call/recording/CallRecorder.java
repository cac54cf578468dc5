package io.callcenter.call.recording;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.Commands;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.store.CallStore;
import io.callcenter.routing.RecordingPolicy;
import io.callcenter.routing.RoutingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Records calls: the call's bridge from the moment two parties talk. The bridge's mix holds every party (a
 * conference too) for as long as the call lives, whoever joins or leaves, so one file covers the whole call.
 * Everyone hears the team's announcement as the recording starts, so the consent is itself on the recording.
 * Runs on the call's lane, like everything that touches a {@link Call}.
 */
public final class CallRecorder {

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    private final Commands asterisk;
    private final CallStore store;
    private final RoutingService routing;
    private final Path directory;
    private final Clock clock;

    public CallRecorder(Commands asterisk, CallStore store, RoutingService routing, Path directory, Clock clock) {
        this.asterisk = asterisk;
        this.store = store;
        this.routing = routing;
        this.directory = directory;
        this.clock = clock;
    }

    public void start(Call call, Instant at) {
        RecordingPolicy policy = routing.recordingPolicy(call.teamId);
        if (!policy.record()) {
            return;
        }
        String name = Recordings.nameFor(call.id, call.recordingCount++);
        try {
            String announcement = policy.announcement() == null || policy.announcement().isBlank() ? null : policy.announcement();
            call.recordingAnnouncement = announcement;
            if (announcement != null) {
                asterisk.send(new CallCommand.PlayOnBridge(call.bridgeId, UUID.randomUUID().toString(), announcement));
            }
            asterisk.send(new CallCommand.RecordBridge(call.bridgeId, name, Recordings.FORMAT));
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

    /** A party of the call pauses or resumes its recording (the agent taking a card number). */
    public boolean pauseFor(Call call, java.util.UUID requestedBy, boolean paused) {
        if (call.legs.values().stream().noneMatch(leg -> requestedBy.equals(leg.agentId) && leg.live())) {
            throw new CommandRefused("not-a-party", "You are not in this call");
        }
        return pause(call, paused, "by agent " + requestedBy);
    }

    /** Payment pause (PCI DSS): the recording keeps running but writes silence, so its timeline stays intact. */
    public boolean pause(Call call, boolean paused, String who) {
        if (call.state() != CallState.TALKING || call.recordingName == null) {
            throw new CommandRefused("not-recording", "The call is not being recorded");
        }
        if (call.recordingMuted == paused) {
            return paused;
        }
        asterisk.send(new CallCommand.MuteRecording(call.recordingName, paused));
        call.recordingMuted = paused;
        call.note(clock.instant(), paused ? "recording paused" : "recording resumed", who);
        return paused;
    }

    /** Registers the file's facts; {@code call} is null once the call is over (its bridge's end ends the recording). */
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
