package io.callcenter.call.recording;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.command.Commands;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records calls from the moment two parties talk: what the customer says and hears, through a snoop channel on the
 * customer's leg (what MixMonitor does in dialplan). The customer hears every other party (a conference too), and
 * stays in the call through transfers, so one file covers the call. Recording the bridge instead would add a
 * recorder channel to it and move every two-party call from the simple bridge to the softmix mixer: at 250 calls
 * that mixing was Asterisk's limit on two cores (BENCHMARKS.md, capacity). Each party hears the team's
 * announcement once the recording runs, played to their own channel (a bridge playback would add an announcer
 * channel, and the mixer with it), so the consent is itself on the recording.
 * Runs on the call's lane, like everything that touches a {@link Call}.
 */
public final class CallRecorder {

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);
    /** Snoop channels that record: told apart from supervisors' snoops ("snoop-") and parties' channels. */
    public static final String SNOOP_PREFIX = "rec-";
    private static final String SPY_BOTH = "both";
    private static final String WHISPER_NONE = "none";

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
            // Recorded once the snoop channel is in the application (snoopEntered): ARI records only channels there.
            asterisk.send(new CallCommand.Snoop(call.id, snoopChannelOf(name), customer(call).channelId, SPY_BOTH, WHISPER_NONE));
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

    /**
     * A channel of the call entered the application: if it is the recording's snoop channel, the recording starts
     * on it, then every party hears the announcement (so it is on the file). False for any other channel.
     */
    public static boolean snoopEntered(Commands asterisk, Call call, String channelId, Instant at) {
        if (call.recordingName == null || !channelId.equals(snoopChannelOf(call.recordingName))) {
            return false;
        }
        try {
            asterisk.send(new CallCommand.RecordChannel(channelId, call.recordingName, Recordings.FORMAT, Duration.ZERO,
                    Duration.ZERO, false, "none"));
            if (call.recordingMuted) {
                // A call's next file (its customer left a conference) while card details are being taken.
                asterisk.send(new CallCommand.MuteRecording(call.recordingName, true));
            }
            if (call.recordingAnnouncement != null && call.recordingName.equals(Recordings.nameFor(call.id, 0))) {
                // On the bridge, not to each party's channel: a channel playback is not written to the recorded
                // leg's audiohook, so the consent would be missing from the file (ConferenceRecordingIT). The
                // bridge's announcer leaves once it has played, and the bridge goes back to simple_bridge.
                asterisk.send(new CallCommand.PlayOnBridge(call.bridgeId, UUID.randomUUID().toString(), call.recordingAnnouncement));
            }
        } catch (AsteriskException e) {
            log.error("call {}: recording could not start on its snoop channel: {}", call.id, e.getMessage());
            call.note(at, "recording failed to start", e.getMessage());
            asterisk.send(new CallCommand.Hangup(channelId, io.callcenter.asterisk.AsteriskGateway.HangupReason.NORMAL));
        }
        return true;
    }

    /** The snoop channel that records {@code recordingName}: named after it, so one is found from the other. */
    public static String snoopChannelOf(String recordingName) {
        return SNOOP_PREFIX + recordingName;
    }

    /** Whose channel is recorded: the customer (a party no agent is), who stays through transfers; else anyone's. */
    private static Leg customer(Call call) {
        List<Leg> live = call.liveLegs();
        return live.stream().filter(leg -> leg.agentId == null).findFirst()
                .orElse(live.isEmpty() ? call.caller() : live.getFirst());
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
                    // The recorded customer left a call that goes on (a conference): the others are recorded on,
                    // in the call's next file, without a second announcement (they heard it).
                    if (call.state() == CallState.TALKING && call.liveLegs().size() >= 2) {
                        start(call, ended.at());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("recording {} could not be registered", ended.name(), e);
        }
    }
}
