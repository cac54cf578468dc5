package io.callcenter.call.voicemail;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskException;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.call.CallState;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.model.Leg;
import io.callcenter.call.parties.Parties;
import io.callcenter.call.recording.Recordings;
import io.callcenter.voicemail.VoicemailBox;
import io.callcenter.voicemail.VoicemailBoxes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The voicemail room: runs {@link VoicemailMachine} steps on the caller's lane. The greeting plays on the caller's
 * channel, Asterisk beeps and records the channel ({@code vm-<call id>} in its recording directory), and the
 * recording's end, which may come after the caller and the call are gone, is registered with the box.
 */
public final class Voicemails {

    private static final Logger log = LoggerFactory.getLogger(Voicemails.class);

    private final Parties parties;
    private final VoicemailBoxes boxes;
    private final CallProperties properties;
    private final Map<UUID, VoicemailMachine.Visit> visits = new ConcurrentHashMap<>();

    public Voicemails(Parties parties, VoicemailBoxes boxes, CallProperties properties) {
        this.parties = parties;
        this.boxes = boxes;
        this.properties = properties;
    }

    static String greetingPlaybackId(UUID callId) {
        return "vm-greeting-" + callId;
    }

    /** The team a box belongs to (a dialplan naming a box sends its caller as a call of that team). */
    public Optional<UUID> teamOf(UUID boxId) {
        return boxes.box(boxId).map(VoicemailBox::teamId);
    }

    /** The caller reaches a box of the call's team (another team's, or none: the no-agent message). */
    public void enter(Call call, UUID boxId, Instant at) {
        Optional<VoicemailBox> box = boxes.box(boxId).filter(found -> found.teamId().equals(call.teamId));
        if (box.isEmpty()) {
            call.note(at, "voicemail box missing", boxId.toString());
            parties.announce(call, properties.noAgentSound(), HangupReason.NORMAL, "no_voicemail_box", at);
            return;
        }
        parties.hangupCallees(call);
        parties.answerCaller(call, at);
        call.hangupCause = "voicemail";
        call.moveTo(CallState.VOICEMAIL, at, "voicemail", box.get().name());
        apply(call, VoicemailMachine.enter(box.get()), at);
    }

    public void keyPressed(Call call, Leg leg, String digit, Instant at) {
        VoicemailMachine.Visit visit = visits.get(call.id);
        if (visit != null && leg.role == Leg.Role.CALLER) {
            apply(call, VoicemailMachine.decide(visit, new VoicemailMachine.Event.Key(digit)), at);
        }
    }

    public void playbackFinished(Call call, AsteriskEvent.PlaybackFinished finished) {
        VoicemailMachine.Visit visit = visits.get(call.id);
        if (visit != null && finished.playbackId().equals(greetingPlaybackId(call.id))) {
            apply(call, VoicemailMachine.decide(visit, new VoicemailMachine.Event.GreetingFinished()), finished.at());
        }
    }

    public void legGone(Call call, Leg leg, Instant at) {
        VoicemailMachine.Visit visit = visits.get(call.id);
        if (visit != null && leg.role == Leg.Role.CALLER) {
            apply(call, VoicemailMachine.decide(visit, new VoicemailMachine.Event.CallerLeft()), at);
            // While recording, the recording's end still comes (without the call, once it is over).
            visits.remove(call.id);
        }
    }

    /** A message's recording ended; {@code call} is null when the call is already over (the caller hung up). */
    public void recordingEnded(Call call, AsteriskEvent.RecordingEnded ended) {
        boolean kept = false;
        long duration = 0;
        try {
            Recordings.FileFacts facts = Recordings.facts(properties.recordingsDirectory(), ended.name(),
                    ended.format().isBlank() ? VoicemailBoxes.FORMAT : ended.format());
            duration = facts.durationMillis();
            kept = boxes.messageEnded(ended.name(), ended.at(),
                    new VoicemailBoxes.MessageFile(facts.sizeBytes(), facts.sha256(), facts.durationMillis()), ended.failed());
        } catch (RuntimeException e) {
            log.error("voicemail {} could not be registered", ended.name(), e);
        }
        VoicemailMachine.Visit visit = call == null ? null : visits.get(call.id);
        if (visit != null) {
            apply(call, VoicemailMachine.decide(visit, new VoicemailMachine.Event.RecordingEnded(kept, duration)), ended.at());
        }
    }

    private void apply(Call call, VoicemailMachine.Step step, Instant at) {
        VoicemailMachine.Visit visit = step.visit();
        if (visit.phase() == VoicemailMachine.Phase.LEFT) {
            visits.remove(call.id);
        } else {
            visits.put(call.id, visit);
        }
        Leg caller = call.caller();
        for (VoicemailMachine.Command command : step.commands()) {
            switch (command) {
                case VoicemailMachine.Command.PlayGreeting play -> parties.commands().send(new CallCommand.Play(
                        caller.channelId, greetingPlaybackId(call.id), play.media()));
                case VoicemailMachine.Command.StopGreeting ignored -> {
                    try {
                        parties.commands().send(new CallCommand.StopPlayback(greetingPlaybackId(call.id)));
                    } catch (AsteriskException e) {
                        log.debug("call {}: greeting already over: {}", call.id, e.getMessage());
                    }
                }
                case VoicemailMachine.Command.Record record -> {
                    String name = VoicemailBoxes.messageName(call.id);
                    parties.commands().send(new CallCommand.RecordChannel(caller.channelId, name, VoicemailBoxes.FORMAT,
                            record.box().maxMessage(), record.box().maxSilence(), true, VoicemailMachine.END_KEY));
                    boxes.messageStarted(record.box().id(), call.id, call.fromNumber, name, at);
                    call.note(at, "voicemail recording", name);
                }
                case VoicemailMachine.Command.Note note -> call.note(at, note.event(), note.detail());
                case VoicemailMachine.Command.SayGoodbye goodbye -> {
                    if (caller.live()) {
                        parties.announce(call, goodbye.media(), HangupReason.NORMAL, "voicemail", at);
                    }
                }
            }
        }
    }
}
