package io.callcenter.call.menu;

import io.callcenter.call.menu.MenuMachine.Command;
import io.callcenter.call.menu.MenuMachine.Event;
import io.callcenter.call.menu.MenuMachine.Phase;
import io.callcenter.call.menu.MenuMachine.Step;
import io.callcenter.destination.Destination;
import io.callcenter.destination.VoiceMenu;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A caller in a voice menu: prompt, keys, silences and tries, as pure steps. */
class MenuMachineTest {

    private static final Destination SALES = new Destination.Queue(UUID.randomUUID());
    private static final Destination INVALID = new Destination.Announcement("sound:invalid");
    private static final Destination SILENT = new Destination.Announcement("sound:silent");
    private static final VoiceMenu MAIN = new VoiceMenu(UUID.randomUUID(), UUID.randomUUID(), "Main", "sound:main",
            Map.of("1", SALES), Duration.ofSeconds(4), 2, INVALID, SILENT);

    private static Step then(Step step, Event event) {
        return MenuMachine.decide(step.visit(), event);
    }

    @Test
    void the_prompt_plays_then_the_menu_waits_for_a_key() {
        Step entered = MenuMachine.enter(MAIN);
        assertThat(entered.commands()).containsExactly(new Command.Note("menu", "Main"), new Command.PlayPrompt(1, "sound:main"));
        Step waiting = then(entered, new Event.PromptFinished(1));
        assertThat(waiting.visit().phase()).isEqualTo(Phase.WAITING);
        assertThat(waiting.commands()).containsExactly(new Command.WaitForKey(1, Duration.ofSeconds(4)));
    }

    @Test
    void a_key_during_the_prompt_stops_it_and_goes_to_its_choice_logged() {
        Step chose = then(MenuMachine.enter(MAIN), new Event.Key("1"));
        assertThat(chose.commands()).containsExactly(new Command.StopPrompt(1),
                new Command.Note("menu key", "Main: 1"),
                new Command.Note("menu choice", "Main -> queue " + SALES.target()),
                new Command.Go(SALES));
        assertThat(chose.visit().phase()).isEqualTo(Phase.LEFT);
        // The interrupted prompt's end and anything later change nothing.
        assertThat(then(chose, new Event.PromptFinished(1)).commands()).isEmpty();
        assertThat(then(chose, new Event.Key("1")).commands()).isEmpty();
    }

    @Test
    void a_wrong_key_twice_takes_the_invalid_path() {
        Step first = then(then(MenuMachine.enter(MAIN), new Event.PromptFinished(1)), new Event.Key("9"));
        assertThat(first.commands()).containsExactly(new Command.Note("menu key", "Main: 9 (invalid)"),
                new Command.PlayPrompt(2, "sound:main"));
        assertThat(first.visit().tries()).isEqualTo(1);
        // The timer of the first take fires after the second prompt started: ignored.
        assertThat(then(first, new Event.TimedOut(1)).commands()).isEmpty();

        Step second = then(first, new Event.Key("#"));
        assertThat(second.commands()).containsExactly(new Command.StopPrompt(2),
                new Command.Note("menu key", "Main: # (invalid)"),
                new Command.Note("menu choice", "Main: invalid 2 times -> announcement sound:invalid"),
                new Command.Go(INVALID));
    }

    @Test
    void silences_cost_tries_and_the_last_takes_the_timeout_path() {
        Step first = then(then(MenuMachine.enter(MAIN), new Event.PromptFinished(1)), new Event.TimedOut(1));
        assertThat(first.commands()).containsExactly(new Command.Note("menu timeout", "Main: no key in 4 s"),
                new Command.PlayPrompt(2, "sound:main"));
        Step second = then(then(first, new Event.PromptFinished(2)), new Event.TimedOut(2));
        assertThat(second.commands()).last().isEqualTo(new Command.Go(SILENT));
        assertThat(second.visit().phase()).isEqualTo(Phase.LEFT);
    }

    @Test
    void a_mix_ends_by_what_the_last_try_was() {
        Step invalidThenSilent = then(then(then(then(MenuMachine.enter(MAIN), new Event.Key("7")),
                new Event.PromptFinished(2)), new Event.TimedOut(2)), new Event.Key("1"));
        // Two tries used (invalid, then silence): the timeout path was taken before the late key.
        assertThat(invalidThenSilent.visit().phase()).isEqualTo(Phase.LEFT);
        assertThat(invalidThenSilent.commands()).isEmpty();
    }
}
