package io.callcenter.call.voicemail;

import io.callcenter.voicemail.VoicemailBox;

import java.util.ArrayList;
import java.util.List;

/**
 * A caller at a voicemail box, pure: given the visit and what happened, the visit after it and what to do.
 * GREETING (the box's greeting plays; '#' skips it) → RECORDING (Asterisk beeps and records until the box's longest
 * message, its silence, '#' or hangup) → LEFT (goodbye, then hang-up). A caller who hangs up during the greeting
 * leaves no message.
 */
public final class VoicemailMachine {

    public enum Phase { GREETING, RECORDING, LEFT }

    /** Ends the recording; during the greeting it skips to the beep. */
    public static final String END_KEY = "#";
    public static final String GOODBYE = "sound:vm-goodbye";

    public record Visit(VoicemailBox box, Phase phase) {
    }

    public sealed interface Event {
        record GreetingFinished() implements Event {
        }

        record Key(String digit) implements Event {
        }

        /** The recording ended: {@code kept} if there is a message to keep. */
        record RecordingEnded(boolean kept, long durationMillis) implements Event {
        }

        record CallerLeft() implements Event {
        }
    }

    public sealed interface Command {
        record PlayGreeting(String media) implements Command {
        }

        record StopGreeting() implements Command {
        }

        /** Beep, then record, within the box's limits. */
        record Record(VoicemailBox box) implements Command {
        }

        /** Recorded in the call's log. */
        record Note(String event, String detail) implements Command {
        }

        /** Goodbye, then hang-up. */
        record SayGoodbye(String media) implements Command {
        }
    }

    public record Step(Visit visit, List<Command> commands) {
    }

    private VoicemailMachine() {
    }

    public static Step enter(VoicemailBox box) {
        return new Step(new Visit(box, Phase.GREETING), List.of(
                new Command.Note("voicemail", box.name()),
                new Command.PlayGreeting(box.greetingMedia())));
    }

    public static Step decide(Visit visit, Event event) {
        List<Command> commands = new ArrayList<>();
        Visit next = visit;
        switch (event) {
            case Event.GreetingFinished ignored when visit.phase() == Phase.GREETING -> next = record(visit, commands);
            case Event.Key key when visit.phase() == Phase.GREETING && END_KEY.equals(key.digit()) -> {
                commands.add(new Command.StopGreeting());
                commands.add(new Command.Note("voicemail greeting skipped", key.digit()));
                next = record(visit, commands);
            }
            case Event.RecordingEnded ended when visit.phase() == Phase.RECORDING -> {
                commands.add(ended.kept()
                        ? new Command.Note("voicemail left", visit.box().name() + " " + ended.durationMillis() + " ms")
                        : new Command.Note("voicemail not left", visit.box().name() + ": nothing recorded"));
                commands.add(new Command.SayGoodbye(GOODBYE));
                next = new Visit(visit.box(), Phase.LEFT);
            }
            case Event.CallerLeft ignored when visit.phase() == Phase.GREETING -> {
                commands.add(new Command.Note("voicemail not left", visit.box().name() + ": hung up during the greeting"));
                next = new Visit(visit.box(), Phase.LEFT);
            }
            default -> {
                // A greeting's end after it was skipped, keys while recording (Asterisk acts on '#' itself), a
                // caller hanging up while recording (the recording's end follows): nothing to do.
            }
        }
        return new Step(next, List.copyOf(commands));
    }

    private static Visit record(Visit visit, List<Command> commands) {
        commands.add(new Command.Record(visit.box()));
        return new Visit(visit.box(), Phase.RECORDING);
    }
}
