package io.callcenter.call.queue;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.call.CallState;
import io.callcenter.call.CallUpdated;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

/**
 * A caller whose max wait in the team's first queue is over overflows into a second queue, through the real engine
 * with a fake Asterisk and a clock the test moves: out of the first holding bridge into the second with its music,
 * QUEUED again (logged), the first queue's timers dead, each queue's stay in the log, the agent's offer showing the
 * whole wait.
 */
class QueueOverflowTest extends CallEngineFixture {

    private static final Duration FIRST_MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration FIRST_ANNOUNCE = Duration.ofSeconds(20);
    private static final Duration SECOND_MAX_WAIT = Duration.ofSeconds(90);
    private static final Duration SECOND_ANNOUNCE = Duration.ofSeconds(25);

    private QueueSettings first;
    private QueueSettings second;

    @BeforeEach
    void twoQueuesTheFirstOverflowingIntoTheSecondAndEveryAgentBusy() {
        second = new QueueSettings(UUID.randomUUID(), team.id(), "Second line", QueueStrategy.LONGEST_IDLE,
                Duration.ofSeconds(15), SECOND_MAX_WAIT, SECOND_ANNOUNCE, Duration.ofSeconds(20), "second",
                QueueSettings.Overflow.NOBODY_AVAILABLE, 0, null);
        first = new QueueSettings(UUID.randomUUID(), team.id(), "First line", QueueStrategy.LONGEST_IDLE,
                Duration.ofSeconds(15), FIRST_MAX_WAIT, FIRST_ANNOUNCE, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.QUEUE, second.id().toString()), 0, null);
        queueStore.byTeam.put(team.id(), first);
        // The fake store finds a queue by id among its teams' queues: the second is reachable by id only.
        queueStore.byTeam.put(UUID.randomUUID(), second);
        when(agents.availableInTeam(team.id())).thenReturn(List.of());
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
    }

    @Test
    void after_max_wait_the_caller_moves_into_the_second_queues_bridge_and_music_with_both_stays_logged() {
        callerCalls("c1", 0);
        clock.set(at(20));
        timers.runDelayed(FIRST_ANNOUNCE);
        asterisk.drain();
        String firstAnnouncement = callOf("c1").callerPromptPlaybackId;

        clock.set(at(60));
        timers.runDelayed(FIRST_MAX_WAIT);

        assertThat(asterisk.drain()).containsExactly(
                "stopPlayback " + firstAnnouncement,
                "removeFromBridge c1",
                "createHoldingBridge " + second.bridgeId(),
                "addToBridge c1",
                "startMoh " + second.bridgeId() + " second");
        Call call = callOf("c1");
        assertThat(call.state()).isEqualTo(CallState.QUEUED);
        assertThat(call.queueName).isEqualTo("Second line");
        assertThat(call.queuedAt).as("the whole wait, for the agent's offer").isEqualTo(T0);
        assertThat(store.transitionEvents()).containsSubsequence("joined queue", "overflowed to queue");
        assertThat(queueStore.log).extracting(row -> (row.queueId().equals(first.id()) ? "first " : "second ")
                        + row.type() + " " + row.waited().toSeconds() + "s")
                .containsExactly("first JOINED 0s", "first ANNOUNCED 20s", "first TIMED_OUT 60s",
                        "first OVERFLOWED 60s", "second JOINED 0s");
        assertThat(queueStore.log.getLast().detail()).isEqualTo("overflow from queue " + first.id());
        assertThat(queueStore.joined(call.id)).hasValueSatisfying(joined -> {
            assertThat(joined.queueId()).isEqualTo(second.id());
            assertThat(joined.firstAt()).isEqualTo(T0);
        });
    }

    @Test
    void the_first_queues_timers_fire_into_nothing_and_the_second_queues_own_run() {
        callerCalls("c1", 0);
        clock.set(at(60));
        timers.runDelayed(FIRST_MAX_WAIT);
        asterisk.drain();
        int logged = queueStore.log.size();

        clock.set(at(80));
        timers.runDelayed(FIRST_ANNOUNCE);
        assertThat(asterisk.drain()).as("the first queue's announcement").isEmpty();
        assertThat(queueStore.log).hasSize(logged);
        assertThat(timers.delays).as("not rescheduled").containsOnlyOnce(FIRST_ANNOUNCE);

        clock.set(at(85));
        timers.runDelayed(SECOND_ANNOUNCE);
        assertThat(asterisk.drain()).containsExactly("play c1 sound:queue-youarenext");

        clock.set(at(150));
        timers.runDelayed(SECOND_MAX_WAIT);
        assertThat(asterisk.drain()).containsExactly("removeFromBridge c1", "play c1 sound:vm-nobodyavail");
        assertThat(callOf("c1").state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(queueStore.log).filteredOn(row -> row.queueId().equals(second.id()))
                .extracting(row -> row.type() + " " + row.waited().toSeconds() + "s")
                .containsExactly("JOINED 0s", "ANNOUNCED 25s", "TIMED_OUT 90s", "OVERFLOWED 90s");
    }

    @Test
    void an_offer_ringing_at_max_wait_is_stopped_and_the_second_queues_agent_gets_the_caller_with_the_whole_wait() {
        callerCalls("c1", 0);
        clock.set(at(50));
        agentsFree(alice);
        createdLegsEnterApp();
        assertThat(callOf("c1").state()).isEqualTo(CallState.RINGING);
        when(agents.availableInTeam(team.id())).thenReturn(List.of());
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
        asterisk.drain();

        clock.set(at(60));
        timers.runDelayed(FIRST_MAX_WAIT);
        assertThat(asterisk.drain()).startsWith("hangup " + leg(0) + " NORMAL", "removeFromBridge c1");
        assertThat(store.transitions()).containsSubsequence("QUEUED>RINGING", "RINGING>QUEUED");
        event(new AsteriskEvent.StasisEnd(at(60), leg(0)));
        assertThat(callOf("c1").state()).isEqualTo(CallState.QUEUED);

        clock.set(at(130));
        updates.clear();
        agentsFree(bob);
        assertThat(callOf("c1").state()).isEqualTo(CallState.RINGING);
        assertThat(asterisk.drain()).contains("createChannel PJSIP/1002");
        assertThat(queueStore.log.getLast()).satisfies(row -> {
            assertThat(row.type()).isEqualTo(QueueLog.Type.OFFERED);
            assertThat(row.queueId()).isEqualTo(second.id());
            assertThat(row.waited()).isEqualTo(Duration.ofSeconds(70));
        });
        assertThat(updates).last().extracting(CallUpdated::queue, CallUpdated::queuedAt)
                .containsExactly("Second line", T0);
    }

    @Test
    void a_new_app_instance_takes_an_overflowed_caller_over_in_the_second_queue_with_its_max_wait_and_the_whole_wait() {
        callerCalls("c1", 0);
        clock.set(at(60));
        timers.runDelayed(FIRST_MAX_WAIT);
        asterisk.drain();
        timers.forgetAll();
        store.restorable = true;
        asterisk.liveChannels = List.of(channel("c1", "PJSIP/telnyx-c1", ChannelState.UP));
        clock.set(at(70));
        engine = newAppInstance();

        engine.onConnected(new io.callcenter.asterisk.AsteriskInfo("22", "test", T0.minusSeconds(3600)));

        Call call = callOf("c1");
        assertThat(call.state()).isEqualTo(CallState.QUEUED);
        assertThat(call.queueName).isEqualTo("Second line");
        assertThat(call.queuedAt).isEqualTo(T0);
        assertThat(timers.delays).as("the second queue's max wait, counted from the overflow")
                .containsExactlyInAnyOrder(SECOND_MAX_WAIT.minusSeconds(10), SECOND_ANNOUNCE);
        assertThat(queueStore.log).as("no new join").hasSize(4);

        clock.set(at(150));
        timers.runDelayed(SECOND_MAX_WAIT.minusSeconds(10));
        assertThat(queueStore.log).filteredOn(row -> row.queueId().equals(second.id()))
                .extracting(row -> row.type() + " " + row.waited().toSeconds() + "s")
                .containsExactly("JOINED 0s", "TIMED_OUT 90s", "OVERFLOWED 90s");
    }

    private void callerCalls(String channel, int second) {
        clock.set(at(second));
        event(new AsteriskEvent.StasisStart(at(second), new ChannelSnapshot(channel, "PJSIP/telnyx-" + channel,
                ChannelState.RING, "+1555123000" + channel.substring(1), "", "", "from-trunk", DID, "Stasis",
                "callcenter,inbound", at(second)), List.of("inbound")));
    }

    private void agentsFree(io.callcenter.agent.Agent... free) {
        when(agents.availableInTeam(team.id())).thenReturn(List.of(free));
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of(free));
        engine.agentMayBeFree();
    }

    private Call callOf(String channel) {
        return store.saved.stream().filter(call -> call.legs.containsKey(channel)).findFirst().orElseThrow();
    }
}
