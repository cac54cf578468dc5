package io.callcenter.call.menu;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.call.CallState;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.destination.Destination;
import io.callcenter.destination.InboundRoutes;
import io.callcenter.destination.VoiceMenu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

/** A DID leading to a two-level menu, through the engine: keys, the prompt's end, silences and where they lead. */
class MenusTest extends CallEngineFixture {

    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private QueueSettings support;
    private VoiceMenu main;
    private VoiceMenu sub;

    @BeforeEach
    void twoLevelsIntoAQueue() {
        support = new QueueSettings(UUID.randomUUID(), team.id(), "Support", QueueStrategy.LONGEST_IDLE,
                Duration.ofSeconds(15), Duration.ofSeconds(300), Duration.ZERO, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), 0, null);
        queueStore.byTeam.put(team.id(), support);
        sub = new VoiceMenu(UUID.randomUUID(), team.id(), "Sub", "sound:sub", Map.of("2", new Destination.Queue(support.id())),
                TIMEOUT, 2, new Destination.Announcement("sound:sub-invalid"), new Destination.Announcement("sound:sub-silent"));
        main = new VoiceMenu(UUID.randomUUID(), team.id(), "Main", "sound:main", Map.of("1", new Destination.Menu(sub.id())),
                TIMEOUT, 2, new Destination.Announcement("sound:main-invalid"), new Destination.Announcement("sound:main-silent"));
        menus.put(main.id(), main);
        menus.put(sub.id(), sub);
        routes.put(DID, new InboundRoutes.Route(new Destination.Menu(main.id()), List.of("schedule Office: open")));
    }

    private void key(char digit) {
        event(new AsteriskEvent.DtmfReceived(T0, CARRIER_CHANNEL, digit));
    }

    private void promptEnds(VoiceMenu menu, int take) {
        event(new AsteriskEvent.PlaybackFinished(T0, MenuMachine.playbackId(saved().id.toString(), menu, take),
                java.util.Optional.of(CARRIER_CHANNEL), java.util.Optional.empty()));
    }

    @Test
    void keys_through_two_menus_reach_the_queue_and_an_agent() {
        carrierCalls(DID);
        assertThat(saved().state()).isEqualTo(CallState.MENU);
        assertThat(asterisk.drain()).containsExactly("answer " + CARRIER_CHANNEL, "play " + CARRIER_CHANNEL + " sound:main");

        key('1');
        assertThat(asterisk.drain()).containsExactly("stopPlayback " + MenuMachine.playbackId(saved().id.toString(), main, 1),
                "play " + CARRIER_CHANNEL + " sound:sub");
        promptEnds(sub, 1);
        key('2');
        // Alice is free: the queue offers the caller to her at once.
        assertThat(saved().state()).isEqualTo(CallState.RINGING);
        assertThat(asterisk.created).extracting(request -> request.endpoint()).containsExactly("PJSIP/1001");
        assertThat(store.transitionsDetails()).contains("Main: 1", "Sub: 2", "Sub -> queue " + support.id());
        assertThat(queueStore.log).extracting(row -> row.type().name()).startsWith("JOINED", "OFFERED");
    }

    @Test
    void a_wrong_key_twice_takes_the_invalid_path() {
        carrierCalls(DID);
        promptEnds(main, 1);
        key('9');
        key('9');
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(asterisk.drain()).endsWith("play " + CARRIER_CHANNEL + " sound:main-invalid");
        assertThat(store.transitionsDetails()).contains("Main: 9 (invalid)", "Main: invalid 2 times -> announcement sound:main-invalid");
    }

    @Test
    void silence_after_the_prompt_twice_takes_the_timeout_path() {
        carrierCalls(DID);
        promptEnds(main, 1);
        assertThat(timers.delays).containsExactly(TIMEOUT);
        timers.runDelayed(TIMEOUT);
        assertThat(asterisk.drain()).endsWith("play " + CARRIER_CHANNEL + " sound:main");
        promptEnds(main, 2);
        timers.runDelayed(TIMEOUT);
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(asterisk.drain()).endsWith("play " + CARRIER_CHANNEL + " sound:main-silent");
    }

    @Test
    void the_caller_hanging_up_in_a_menu_ends_the_call_and_its_timer_does_nothing() {
        carrierCalls(DID);
        promptEnds(main, 1);
        callerHangsUp(at(3), 16);
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        asterisk.drain();
        timers.runDelayed(TIMEOUT);
        assertThat(asterisk.drain()).isEmpty();
    }
}
