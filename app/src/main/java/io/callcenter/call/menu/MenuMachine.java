package io.callcenter.call.menu;

import io.callcenter.destination.Destination;
import io.callcenter.destination.VoiceMenu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A caller in a voice menu, pure: given the visit and what happened, the visit after it and what to do. Playbacks
 * and timers carry a number, so the end of a prompt that was interrupted, or a timer of an earlier try, is ignored.
 */
public final class MenuMachine {

    public enum Phase { PROMPTING, WAITING, LEFT }

    /** Where the caller is in a menu; {@code take} numbers the prompts and timers of this visit. */
    public record Visit(VoiceMenu menu, int tries, Phase phase, int take) {
        public String playbackId(String callKey) {
            return MenuMachine.playbackId(callKey, menu, take);
        }
    }

    public sealed interface Event {
        record PromptFinished(int take) implements Event {
        }

        record Key(String digit) implements Event {
        }

        record TimedOut(int take) implements Event {
        }
    }

    public sealed interface Command {
        record PlayPrompt(int take, String media) implements Command {
        }

        record StopPrompt(int take) implements Command {
        }

        record WaitForKey(int take, Duration timeout) implements Command {
        }

        /** Recorded in the call's log: a key pressed, a silence, where the menu sent the caller. */
        record Note(String event, String detail) implements Command {
        }

        record Go(Destination destination) implements Command {
        }
    }

    public record Step(Visit visit, List<Command> commands) {
    }

    private MenuMachine() {
    }

    /** The id of a prompt's playback: the call, the menu and the take, so a late end is recognised as such. */
    public static String playbackId(String callKey, VoiceMenu menu, int take) {
        return "menu-" + callKey + "-" + menu.id() + "-" + take;
    }

    public static Step enter(VoiceMenu menu) {
        Visit visit = new Visit(menu, 0, Phase.PROMPTING, 1);
        return new Step(visit, List.of(new Command.Note("menu", menu.name()), new Command.PlayPrompt(1, menu.prompt())));
    }

    public static Step decide(Visit visit, Event event) {
        List<Command> commands = new ArrayList<>();
        VoiceMenu menu = visit.menu();
        Visit next = visit;
        switch (event) {
            case Event.PromptFinished done when visit.phase() == Phase.PROMPTING && done.take() == visit.take() -> {
                next = new Visit(menu, visit.tries(), Phase.WAITING, visit.take());
                commands.add(new Command.WaitForKey(visit.take(), menu.timeout()));
            }
            case Event.Key key when visit.phase() != Phase.LEFT -> {
                if (visit.phase() == Phase.PROMPTING) {
                    commands.add(new Command.StopPrompt(visit.take()));
                }
                Destination choice = menu.choices().get(key.digit());
                if (choice != null) {
                    commands.add(new Command.Note("menu key", menu.name() + ": " + key.digit()));
                    commands.add(new Command.Note("menu choice", menu.name() + " -> " + choice.kind() + " " + choice.target()));
                    commands.add(new Command.Go(choice));
                    next = new Visit(menu, visit.tries(), Phase.LEFT, visit.take());
                } else {
                    commands.add(new Command.Note("menu key", menu.name() + ": " + key.digit() + " (invalid)"));
                    next = failedTry(visit, menu.onInvalid(), "invalid", commands);
                }
            }
            case Event.TimedOut out when visit.phase() == Phase.WAITING && out.take() == visit.take() -> {
                commands.add(new Command.Note("menu timeout", menu.name() + ": no key in " + menu.timeout().toSeconds() + " s"));
                next = failedTry(visit, menu.onTimeout(), "timeout", commands);
            }
            default -> {
                // An interrupted prompt's end, an old timer, a key after leaving: nothing to do.
            }
        }
        return new Step(next, List.copyOf(commands));
    }

    /** One more try used: the prompt again, or after the last try the menu's destination for this failure. */
    private static Visit failedTry(Visit visit, Destination after, String why, List<Command> commands) {
        int tries = visit.tries() + 1;
        VoiceMenu menu = visit.menu();
        if (tries >= menu.maxTries()) {
            commands.add(new Command.Note("menu choice", menu.name() + ": " + why + " " + tries + " times -> "
                    + after.kind() + " " + after.target()));
            commands.add(new Command.Go(after));
            return new Visit(menu, tries, Phase.LEFT, visit.take());
        }
        int take = visit.take() + 1;
        commands.add(new Command.PlayPrompt(take, menu.prompt()));
        return new Visit(menu, tries, Phase.PROMPTING, take);
    }
}
