package io.callcenter.call.queue;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.call.CallState;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Callers to a team with a queue, through the real engine with a fake Asterisk and a clock the test moves: they
 * wait in the queue's holding bridge with music, are offered longest-waiting first when agents become free, keep
 * their place when an offer rings out, and leave as answered, abandoned or overflowed, each step in the queue log.
 */
class QueuesTest extends CallEngineFixture {

    private static final Duration RING = Duration.ofSeconds(15);
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration ANNOUNCE = Duration.ofSeconds(20);

    private QueueSettings queue;

    @BeforeEach
    void teamHasAQueueAndEveryAgentIsBusy() {
        queue = new QueueSettings(UUID.randomUUID(), team.id(), "Psychology", QueueStrategy.LONGEST_IDLE, RING, MAX_WAIT,
                ANNOUNCE, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), 0, null);
        queueStore.byTeam.put(team.id(), queue);
        when(agents.availableInTeam(team.id())).thenReturn(List.of());
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
    }

    @Test
    void with_every_agent_busy_the_caller_waits_in_the_queues_holding_bridge_with_music() {
        callerCalls("c1", 0);

        assertThat(asterisk.drain()).containsExactly(
                "answer c1",
                "createHoldingBridge " + queue.bridgeId(),
                "addToBridge c1",
                "startMoh " + queue.bridgeId() + " default");
        assertThat(callOf("c1").state()).isEqualTo(CallState.QUEUED);
        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1");
        assertThat(timers.delays).containsExactly(MAX_WAIT, ANNOUNCE);

        callerCalls("c2", 4);
        // The holding bridge is made once; its music is asked for after each caller is in (Asterisk's music channel
        // leaves a bridge where it is alone).
        assertThat(asterisk.drain()).containsExactly("answer c2", "addToBridge c2", "startMoh " + queue.bridgeId() + " default");
        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1", "JOINED 0s #2");
    }

    @Test
    void with_the_database_away_a_waiting_caller_is_offered_to_the_members_last_read() {
        queueStore.members.put(queue.id(), List.of(new QueueStore.Member(bob.id(), 1, true)));
        callerCalls("c1", 0);
        agentsFree();
        asterisk.drain();
        queueStore.outage = new org.springframework.dao.DataAccessResourceFailureException("database unavailable");

        clock.set(at(30));
        agentsFree(alice, bob);
        assertThat(callOf("c1").state()).as("offered to bob, the member").isEqualTo(CallState.RINGING);
        assertThat(asterisk.drain()).contains("createChannel PJSIP/1002").doesNotContain("createChannel PJSIP/1001");
    }

    @Test
    void agents_becoming_free_take_the_longest_waiting_callers_first_and_the_answer_logs_the_wait() {
        callerCalls("c1", 0);
        callerCalls("c2", 5);
        callerCalls("c3", 8);
        asterisk.drain();

        clock.set(at(30));
        agentsFree(alice);
        assertThat(asterisk.drain()).containsExactly("createChannel PJSIP/1001", "dial " + leg(0) + " 15s");
        assertThat(callOf("c1").state()).isEqualTo(CallState.RINGING);
        assertThat(callOf("c2").state()).isEqualTo(CallState.QUEUED);

        // Originated, the agent's channel enters the application once answered: its StasisStart is the answer.
        event(new AsteriskEvent.StasisStart(at(33), channel(leg(0), "PJSIP/1001-1", ChannelState.UP), List.of("leg", "x")));
        assertThat(callOf("c1").state()).isEqualTo(CallState.TALKING);
        assertThat(asterisk.drain()).containsSubsequence("createBridge " + callOf("c1").bridgeId,
                "addToBridge c1", "addToBridge " + leg(0));

        clock.set(at(40));
        agentsFree(alice, bob);
        assertThat(asterisk.created.get(1).endpoint()).isEqualTo("PJSIP/1002");
        assertThat(callOf("c2").state()).isEqualTo(CallState.RINGING);
        assertThat(callOf("c3").state()).isEqualTo(CallState.QUEUED);

        assertThat(queueStore.log).filteredOn(row -> row.type() != QueueLog.Type.JOINED)
                .extracting(row -> row.type() + " " + row.callId().equals(callOf("c1").id) + " " + row.waited().toSeconds())
                .containsExactly("OFFERED true 30", "ANSWERED true 33", "OFFERED false 35");
    }

    @Test
    void an_offer_that_rings_out_goes_to_the_next_agent_and_the_caller_keeps_their_place() {
        callerCalls("c1", 0);
        callerCalls("c2", 3);
        agentsFree(alice);
        createdLegsEnterApp();
        asterisk.drain();

        clock.set(at(20));
        when(agents.availableInTeam(team.id())).thenReturn(List.of(alice, bob));
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of(alice, bob));
        event(new AsteriskEvent.DialResult(at(20), leg(0), "NOANSWER"));
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));

        // c1 is still first: bob gets c1, and alice (who missed c1) gets c2.
        assertThat(callOf("c1").state()).isEqualTo(CallState.RINGING);
        assertThat(callOf("c1").legs.values()).extracting(leg -> leg.endpoint).contains("PJSIP/1002");
        assertThat(callOf("c2").state()).isEqualTo(CallState.RINGING);
        assertThat(callOf("c2").legs.values()).extracting(leg -> leg.endpoint).contains("PJSIP/1001");
        assertThat(queueStore.log).extracting(QueueLog::type).containsExactly(QueueLog.Type.JOINED,
                QueueLog.Type.JOINED, QueueLog.Type.OFFERED, QueueLog.Type.RANG_OUT, QueueLog.Type.OFFERED,
                QueueLog.Type.OFFERED);
        assertThat(queueStore.log.get(3).agentId()).isEqualTo(alice.id());
        assertThat(queueStore.log.get(3).detail()).isEqualTo("no_answer");
    }

    @Test
    void a_caller_who_hangs_up_is_logged_as_abandoned_with_the_wait() {
        callerCalls("c1", 0);
        clock.set(at(42));
        hangsUp("c1", 42);

        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1", "ABANDONED 42s");
        Call call = callOf("c1");
        assertThat(call.state()).isEqualTo(CallState.ENDED);
        assertThat(call.hangupCause).isEqualTo("caller_abandoned");
        assertThat(store.transitions()).containsExactly("null>ROUTING", "ROUTING>QUEUED", "QUEUED>ENDING", "ENDING>ENDED");
    }

    @Test
    void a_caller_who_hangs_up_while_an_agent_rings_frees_the_agent_without_wrap_up() {
        callerCalls("c1", 0);
        agentsFree(alice);
        createdLegsEnterApp();
        asterisk.drain();

        hangsUp("c1", 7);
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        verify(agents).release(alice.id(), callOf("c1").id);
        verify(agents, never()).callEnded(eq(alice.id()), any(), any(), any());
        assertThat(queueStore.log.getLast().type()).isEqualTo(QueueLog.Type.ABANDONED);
        assertThat(queueStore.log.getLast().detail()).isEqualTo("while offered");
    }

    @Test
    void after_max_wait_the_caller_leaves_the_bridge_for_the_overflow_announcement() {
        callerCalls("c1", 0);
        asterisk.drain();

        clock.set(at(60));
        timers.runDelayed(MAX_WAIT);

        assertThat(asterisk.drain()).containsExactly("removeFromBridge c1", "play c1 sound:vm-nobodyavail");
        assertThat(callOf("c1").state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(callOf("c1").hangupCause).isEqualTo("queue_timeout");
        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1", "TIMED_OUT 60s", "OVERFLOWED 60s");

        // An agent free now finds nobody waiting.
        agentsFree(alice);
        assertThat(asterisk.drain()).isEmpty();
    }

    @Test
    void after_max_wait_the_caller_can_overflow_to_a_number_hearing_ringback_meanwhile() {
        queue = new QueueSettings(queue.id(), team.id(), queue.name(), queue.strategy(), RING, MAX_WAIT, Duration.ZERO,
                queue.serviceLevel(), "default", new QueueSettings.Overflow(QueueSettings.Overflow.Kind.NUMBER, "+15557654321"), 0, null);
        queueStore.byTeam.put(team.id(), queue);
        callerCalls("c1", 0);
        asterisk.drain();

        clock.set(at(60));
        timers.runDelayed(MAX_WAIT);
        assertThat(asterisk.drain()).containsExactly("removeFromBridge c1", "ring c1",
                "createChannel PJSIP/+15557654321@telnyx", "dial " + leg(0) + " 60s");
        assertThat(callOf("c1").state()).isEqualTo(CallState.RINGING);
    }

    @Test
    void each_waiting_caller_hears_their_own_place_every_n_seconds() {
        callerCalls("c1", 0);
        callerCalls("c2", 1);
        callerCalls("c3", 2);
        asterisk.drain();

        clock.set(at(20));
        timers.runDelayed(ANNOUNCE);
        assertThat(asterisk.drain()).containsExactly(
                "play c1 sound:queue-youarenext",
                "play c2 sound:queue-thereare,number:2,sound:queue-callswaiting",
                "play c3 sound:queue-thereare,number:3,sound:queue-callswaiting");

        hangsUp("c1", 25);
        asterisk.drain();
        clock.set(at(40));
        timers.runDelayed(ANNOUNCE);
        assertThat(asterisk.drain()).containsExactly(
                "play c2 sound:queue-youarenext",
                "play c3 sound:queue-thereare,number:2,sound:queue-callswaiting");
    }

    /**
     * QueueIT's flake: the agent answered while the caller heard "you are next" (5.4 s), and Asterisk moved the caller
     * into the call's bridge only once that playback was over, so the agent waited in silence. The announcement
     * stops first now.
     */
    @Test
    void an_agent_who_answers_during_the_callers_announcement_stops_it_before_the_caller_moves() {
        callerCalls("c1", 0);
        clock.set(at(20));
        timers.runDelayed(ANNOUNCE);
        assertThat(asterisk.drain()).contains("play c1 sound:queue-youarenext");
        String announcement = callOf("c1").callerPromptPlaybackId;

        agentsFree(alice);
        createdLegsEnterApp();
        asterisk.drain();
        event(new AsteriskEvent.ChannelStateChanged(at(22), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));

        List<String> commands = asterisk.drain();
        assertThat(commands).containsSubsequence("stopPlayback " + announcement, "addToBridge c1");
        assertThat(callOf("c1").state()).isEqualTo(CallState.TALKING);
        assertThat(callOf("c1").callerPromptPlaybackId).isNull();
    }

    @Test
    void a_ring_all_queue_rings_every_free_agent_the_first_answer_wins_and_the_others_stop_ringing_and_are_free() {
        queue = new QueueSettings(queue.id(), team.id(), queue.name(), QueueStrategy.RING_ALL, RING, MAX_WAIT,
                Duration.ZERO, queue.serviceLevel(), "default", queue.overflow(), 0, Duration.ofSeconds(45));
        queueStore.byTeam.put(team.id(), queue);
        callerCalls("c1", 0);
        agentsFree(alice, bob);
        assertThat(asterisk.created).extracting(request -> request.endpoint()).containsExactly("PJSIP/1001", "PJSIP/1002");
        createdLegsEnterApp();
        asterisk.drain();

        event(new AsteriskEvent.ChannelStateChanged(at(4), channel(leg(1), "PJSIP/1002-1", ChannelState.UP)));

        Call call = callOf("c1");
        assertThat(call.state()).isEqualTo(CallState.TALKING);
        assertThat(call.agentId).isEqualTo(bob.id());
        assertThat(asterisk.drain()).contains("addToBridge " + leg(1), "hangup " + leg(0) + " NORMAL");
        verify(agents).release(alice.id(), call.id);
        assertThat(call.wrapUp).as("the queue's wrap-up, not the team's").isEqualTo(Duration.ofSeconds(45));
        assertThat(updates.getLast().queue()).as("the agent's screen names the queue").isEqualTo("Psychology");
        assertThat(updates.getLast().queuedAt()).isEqualTo(at(0));
        assertThat(queueStore.log).extracting(row -> row.type() + " " + (bob.id().equals(row.agentId()) ? "bob" : "-"))
                .containsExactly("JOINED -", "OFFERED -", "OFFERED bob", "ANSWERED bob");
    }

    @Test
    void in_a_ring_all_queue_a_phone_that_gives_up_frees_its_agent_while_the_other_phone_rings_on() {
        queue = new QueueSettings(queue.id(), team.id(), queue.name(), QueueStrategy.RING_ALL, RING, MAX_WAIT,
                Duration.ZERO, queue.serviceLevel(), "default", queue.overflow(), 0, null);
        queueStore.byTeam.put(team.id(), queue);
        callerCalls("c1", 0);
        agentsFree(alice, bob);
        createdLegsEnterApp();
        asterisk.drain();

        event(new AsteriskEvent.DialResult(at(3), leg(0), "BUSY"));
        event(new AsteriskEvent.StasisEnd(at(3), leg(0)));

        Call call = callOf("c1");
        assertThat(call.state()).as("bob's phone still rings").isEqualTo(CallState.RINGING);
        verify(agents).release(alice.id(), call.id);
        assertThat(queueStore.log.getLast().type()).isEqualTo(QueueLog.Type.RANG_OUT);
        assertThat(queueStore.log.getLast().agentId()).isEqualTo(alice.id());

        event(new AsteriskEvent.ChannelStateChanged(at(5), channel(leg(1), "PJSIP/1002-1", ChannelState.UP)));
        assertThat(call.state()).isEqualTo(CallState.TALKING);
        assertThat(queueStore.log.getLast().type()).isEqualTo(QueueLog.Type.ANSWERED);
    }

    @Test
    void after_a_reconnect_waiting_callers_stay_in_the_queue_with_their_place() {
        callerCalls("c1", 0);
        callerCalls("c2", 5);
        asterisk.drain();
        asterisk.liveChannels = List.of(channel("c1", "PJSIP/telnyx-c1", ChannelState.UP),
                channel("c2", "PJSIP/telnyx-c2", ChannelState.UP));

        engine.onConnected(new io.callcenter.asterisk.AsteriskInfo("22", "test", T0.minusSeconds(3600)));

        assertThat(callOf("c1").state()).isEqualTo(CallState.QUEUED);
        assertThat(callOf("c2").state()).isEqualTo(CallState.QUEUED);
        assertThat(store.transitionEvents()).contains("queue resumed after reconnect");
        agentsFree(alice);
        assertThat(callOf("c1").state()).as("the first caller is still first").isEqualTo(CallState.RINGING);
        assertThat(callOf("c2").state()).isEqualTo(CallState.QUEUED);
    }

    @Test
    void a_new_app_instance_takes_waiting_callers_over_at_their_places_with_their_timers() {
        callerCalls("c1", 0);
        callerCalls("c2", 4);
        callerCalls("c3", 8);
        asterisk.drain();
        timers.forgetAll();
        // The app stops: Asterisk keeps the callers (and the holding bridge); the next instance finds them.
        store.restorable = true;
        asterisk.liveChannels = List.of(channel("c1", "PJSIP/telnyx-c1", ChannelState.UP),
                channel("c2", "PJSIP/telnyx-c2", ChannelState.UP), channel("c3", "PJSIP/telnyx-c3", ChannelState.UP));
        clock.set(at(30));
        engine = newAppInstance();

        engine.onConnected(new io.callcenter.asterisk.AsteriskInfo("22", "test", T0.minusSeconds(3600)));

        for (String channel : List.of("c1", "c2", "c3")) {
            assertThat(callOf(channel).state()).isEqualTo(CallState.QUEUED);
            assertThat(asterisk.commands).contains("destroyBridge " + callOf(channel).bridgeId);
        }
        assertThat(asterisk.commands).noneMatch(command -> command.startsWith("createHoldingBridge")
                || command.startsWith("hangup"));
        assertThat(store.transitionEvents()).contains("queue resumed after app restart");
        assertThat(queueStore.lines()).as("no new join, nobody lost").containsExactly("JOINED 0s #1", "JOINED 0s #2", "JOINED 0s #3");
        assertThat(timers.delays).as("max wait counted on from each join, announcements again").contains(
                MAX_WAIT.minusSeconds(30), MAX_WAIT.minusSeconds(26), MAX_WAIT.minusSeconds(22), ANNOUNCE);
        asterisk.drain();

        agentsFree(alice);
        assertThat(callOf("c1").state()).as("the first to join is first").isEqualTo(CallState.RINGING);
        assertThat(callOf("c2").state()).isEqualTo(CallState.QUEUED);
        assertThat(asterisk.drain()).containsExactly("createChannel PJSIP/1001", "dial " + leg(0) + " 15s");
        timers.runDelayed(ANNOUNCE);
        assertThat(queueStore.log).filteredOn(row -> row.type() == QueueLog.Type.ANNOUNCED)
                .extracting(QueueLog::callId, QueueLog::position).as("announcements resume, each with the place kept")
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(callOf("c1").id, 1),
                        org.assertj.core.groups.Tuple.tuple(callOf("c2").id, 2),
                        org.assertj.core.groups.Tuple.tuple(callOf("c3").id, 3));

        createdLegsEnterApp();
        asterisk.drain();
        event(new AsteriskEvent.ChannelStateChanged(at(40), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        assertThat(asterisk.drain()).as("the call's own bridge is made afresh, on the answer")
                .containsSubsequence("createBridge " + callOf("c1").bridgeId, "addToBridge c1", "addToBridge " + leg(0));
    }

    @Test
    void a_holding_bridge_left_by_an_earlier_app_instance_is_used_as_it_is() {
        // Measured: Asterisk keeps a Stasis bridge when the app that made it stops, and refuses to make it again (409).
        asterisk.existingBridges.add(queue.bridgeId());

        callerCalls("c1", 0);

        assertThat(asterisk.drain()).containsExactly("answer c1", "addToBridge c1", "startMoh " + queue.bridgeId() + " default");
        assertThat(callOf("c1").state()).isEqualTo(CallState.QUEUED);
        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1");
    }

    @Test
    void an_asterisk_restart_ends_waiting_callers_with_a_recorded_reason_not_as_abandons() {
        callerCalls("c1", 0);
        asterisk.drain();
        asterisk.liveChannels = List.of();
        clock.set(at(30));

        engine.onConnected(new io.callcenter.asterisk.AsteriskInfo("22", "test", at(29)));

        Call call = callOf("c1");
        assertThat(call.state()).isEqualTo(CallState.ENDED);
        assertThat(call.hangupCause).isEqualTo("asterisk_restarted");
        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1", "LOST 30s");
        assertThat(queueStore.log.getLast().detail()).isEqualTo("asterisk_restarted");
        // Nobody is left in the queue to offer.
        agentsFree(alice);
        assertThat(asterisk.created).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    @Test
    void a_confirmed_callback_stops_the_rest_of_the_read_back_before_the_goodbye() {
        queueStore.callbacksEnabled.add(queue.id());
        callerCalls("c1", 0);
        asterisk.drain();

        clock.set(at(3));
        event(new AsteriskEvent.DtmfReceived(at(3), "c1", '1'));
        // A word at a time: a key pressed during a playback to a caller in a bridge reaches the app when that
        // playback ends, so the confirmation must not wait for the whole number.
        List<String> readBack = asterisk.drain();
        assertThat(readBack).containsExactly("play c1 sound:you-entered", "play c1 digits:1", "play c1 digits:5",
                "play c1 digits:5", "play c1 digits:5", "play c1 digits:1", "play c1 digits:2", "play c1 digits:3",
                "play c1 digits:0", "play c1 digits:0", "play c1 digits:0", "play c1 digits:1",
                "play c1 sound:if-correct-press", "play c1 digits:1");

        clock.set(at(5));
        event(new AsteriskEvent.DtmfReceived(at(5), "c1", '1'));
        List<String> goodbye = asterisk.drain();
        assertThat(goodbye).filteredOn(command -> command.startsWith("stopPlayback ")).hasSize(readBack.size());
        assertThat(goodbye).last().isEqualTo("play c1 " + QueuePrompts.CALLBACK_PROMISED);
        assertThat(goodbye.indexOf("play c1 " + QueuePrompts.CALLBACK_PROMISED))
                .as("every word still to come is stopped before the goodbye")
                .isGreaterThan(goodbye.lastIndexOf(goodbye.stream().filter(c -> c.startsWith("stopPlayback ")).toList().getLast()));
        assertThat(queueStore.lines()).last().asString().startsWith("CALLBACK_REQUESTED");
    }

    @Test
    void an_edit_of_the_queue_reaches_its_waiting_callers_without_a_restart() {
        callerCalls("c1", 0);
        asterisk.drain();

        queueStore.edited(new QueueSettings(queue.id(), team.id(), queue.name(), QueueStrategy.LINEAR,
                Duration.ofSeconds(40), MAX_WAIT, ANNOUNCE, queue.serviceLevel(), "default", queue.overflow(), 0, null));
        agentsFree(alice);
        createdLegsEnterApp();
        assertThat(asterisk.drain()).as("the new ring timeout").contains("dial " + leg(0) + " 40s");
    }

    @Test
    void a_full_queue_and_a_queue_with_nobody_logged_in_send_the_caller_on_without_joining() {
        queue = new QueueSettings(queue.id(), team.id(), queue.name(), queue.strategy(), RING, MAX_WAIT, ANNOUNCE,
                queue.serviceLevel(), "default", queue.overflow(), 0, null, new QueueSettings.Entry(1,
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:queue-full"), false,
                QueueSettings.Overflow.NOBODY_AVAILABLE));
        queueStore.byTeam.put(team.id(), queue);
        callerCalls("c1", 0);
        asterisk.drain();

        callerCalls("c2", 2);
        assertThat(asterisk.drain()).containsExactly("answer c2", "play c2 sound:queue-full");
        assertThat(callOf("c2").state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(queueStore.lines()).containsExactly("JOINED 0s #1", "REFUSED 0s");
        assertThat(queueStore.log.getLast().detail()).isEqualTo("full: announcement sound:queue-full");

        // Nobody logged in: the queue's one member is logged out.
        queue = new QueueSettings(UUID.randomUUID(), team.id(), "Nights", queue.strategy(), RING, MAX_WAIT, ANNOUNCE,
                queue.serviceLevel(), "default", queue.overflow(), 0, null, new QueueSettings.Entry(0,
                QueueSettings.Overflow.NOBODY_AVAILABLE, true,
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:ss-noservice")));
        queueStore.byTeam.put(team.id(), queue);
        queueStore.members.put(queue.id(), List.of(new QueueStore.Member(bob.id(), 1, false)));
        callerCalls("c3", 4);
        assertThat(asterisk.drain()).containsExactly("answer c3", "play c3 sound:ss-noservice");
        assertThat(queueStore.log.getLast().detail()).isEqualTo("no_agent: announcement sound:ss-noservice");
    }

    private void callerCalls(String channel, int second) {
        clock.set(at(second));
        event(new AsteriskEvent.StasisStart(at(second), new ChannelSnapshot(channel, "PJSIP/telnyx-" + channel,
                ChannelState.RING, "+1555123000" + channel.substring(1), "", "", "from-trunk", DID, "Stasis",
                "callcenter,inbound", at(second)), List.of("inbound")));
    }

    private void hangsUp(String channel, int second) {
        event(new AsteriskEvent.HangupRequested(at(second), channel, 16));
        event(new AsteriskEvent.StasisEnd(at(second), channel));
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
