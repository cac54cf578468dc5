package io.callcenter.call;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskGateway.HangupReason;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The call state machine driven through {@link CallEngine} with a fake Asterisk, a fixed clock and an in-place
 * executor: every event is handled synchronously and every command Asterisk would receive is checked in order.
 */
class CallStateMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String DID = "+15550100";
    private static final String CARRIER_CHANNEL = "carrier-1";

    private final RecordingGateway asterisk = new RecordingGateway();
    private final AgentDirectory agents = mock(AgentDirectory.class);
    private final RoutingService routing = mock(RoutingService.class);
    private final SavedCalls store = new SavedCalls();
    private final Team team = new Team(UUID.randomUUID(), "Psychology", DID, Duration.ofHours(6));
    private final Agent alice = new Agent(UUID.randomUUID(), "1001", "Alice", team.id(), Agent.Phone.SIP);
    private final Agent bob = new Agent(UUID.randomUUID(), "1002", "Bob", team.id(), Agent.Phone.SIP);
    private final FakeTimer timers = new FakeTimer();
    private final DialledLeads dialer = mock(DialledLeads.class);
    private final io.callcenter.routing.DoNotCallList dnc = mock(io.callcenter.routing.DoNotCallList.class);
    private final OutboundGuard guard = new OutboundGuard(dnc, Clock.fixed(T0, ZoneOffset.UTC), 20);
    private final List<CallUpdated> updates = new ArrayList<>();
    private CallEngine engine;
    private int enteredLegs;

    @BeforeEach
    void setUp() {
        CallProperties properties = new CallProperties(Duration.ofSeconds(20), Duration.ofSeconds(60), "telnyx", "US",
                null, null, null, null, null, null, null, null, null, null, null);
        engine = new CallEngine(asterisk, agents, routing, store, properties, "callcenter",
                Clock.fixed(T0, ZoneOffset.UTC), Runnable::run, timers, guard, updates::add, dialer);
        engine.checkOrphansWith(Runnable::run);
        when(routing.teamForNumber(DID)).thenReturn(Optional.of(team));
        when(routing.team(team.id())).thenReturn(Optional.of(team));
        when(routing.recordingPolicy(any())).thenReturn(io.callcenter.routing.RecordingPolicy.NONE);
        for (Agent agent : List.of(alice, bob)) {
            when(agents.byId(agent.id())).thenReturn(Optional.of(agent));
            when(agents.byExtension(agent.extension())).thenReturn(Optional.of(agent));
            when(agents.reachableAndIdle(agent)).thenReturn(true);
            when(agents.isReachable(agent)).thenReturn(true);
        }
        when(agents.tryReserve(any(), any())).thenReturn(true);
        when(agents.availableInTeam(team.id())).thenReturn(List.of(alice, bob));
    }

    @Test
    void inbound_call_rings_the_longest_idle_agent_bridges_on_answer_and_ends_when_the_caller_hangs_up() {
        carrierCalls(DID);
        assertThat(asterisk.drain()).containsExactly(
                "ring " + CARRIER_CHANNEL,
                "createBridge " + bridge(),
                "createChannel PJSIP/1001",
                "dial " + leg(0) + " 20s");
        assertThat(asterisk.created.getFirst().variables())
                .containsEntry("CALLERID(num)", "+15551230000")
                .containsEntry("CONNECTEDLINE(num,i)", "+15551230000");

        event(new AsteriskEvent.DialResult(at(1), leg(0), "RINGING"));
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-00000001", ChannelState.UP)));
        assertThat(asterisk.drain()).containsExactly(
                "answer " + CARRIER_CHANNEL,
                "addToBridge " + CARRIER_CHANNEL,
                "addToBridge " + leg(0),
                "set " + CARRIER_CHANNEL + " TIMEOUT(absolute)=21610");
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(saved().agentId).isEqualTo(alice.id());

        callerHangsUp(at(63), 16);
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        assertThat(saved().state()).isEqualTo(CallState.ENDING);

        event(new AsteriskEvent.StasisEnd(at(63), leg(0)));
        assertThat(asterisk.drain()).containsExactly("destroyBridge " + bridge());
        Call call = saved();
        assertThat(call.state()).isEqualTo(CallState.ENDED);
        assertThat(call.hangupCause).isEqualTo("caller_hangup");
        assertThat(call.answeredAt).isEqualTo(at(3));
        assertThat(call.endedAt).isEqualTo(at(63));
        assertThat(store.transitions()).containsExactly(
                "null>ROUTING", "ROUTING>RINGING", "RINGING>TALKING", "TALKING>ENDING", "ENDING>ENDED");
        verify(agents).callEnded(eq(alice.id()), eq(call.id), eq(at(63)), eq(team.wrapUp()));
    }

    @Test
    void nobody_available_hears_a_message_and_is_released_without_ever_being_connected() {
        when(agents.availableInTeam(team.id())).thenReturn(List.of());
        carrierCalls(DID);
        assertThat(asterisk.drain()).containsExactly(
                "ring " + CARRIER_CHANNEL,
                "answer " + CARRIER_CHANNEL,
                "play " + CARRIER_CHANNEL + " sound:vm-nobodyavail");
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);

        event(new AsteriskEvent.PlaybackFinished(at(4), saved().announcementPlaybackId, Optional.of(CARRIER_CHANNEL)));
        assertThat(asterisk.drain()).containsExactly("hangup " + CARRIER_CHANNEL + " NORMAL");
        event(new AsteriskEvent.StasisEnd(at(4), CARRIER_CHANNEL));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("no_agent_available");
        assertThat(saved().answeredAt).as("talk time never started").isNull();
    }

    @Test
    void a_number_nobody_owns_is_told_so_and_released_as_unallocated() {
        carrierCalls("+15559999999");
        assertThat(asterisk.drain()).containsExactly(
                "answer " + CARRIER_CHANNEL, "play " + CARRIER_CHANNEL + " sound:ss-noservice");
        event(new AsteriskEvent.PlaybackFinished(at(3), saved().announcementPlaybackId, Optional.of(CARRIER_CHANNEL)));
        assertThat(asterisk.drain()).containsExactly("hangup " + CARRIER_CHANNEL + " UNALLOCATED");
    }

    @Test
    void an_agent_who_does_not_answer_is_skipped_for_the_next_one() {
        carrierCalls(DID);
        asterisk.drain();
        event(new AsteriskEvent.HangupRequested(at(20), leg(0), 19));
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        assertThat(asterisk.drain()).as("no dial before the channel is in the application")
                .containsExactly("createChannel PJSIP/1002");
        createdLegsEnterApp();
        assertThat(asterisk.drain()).containsExactly("dial " + leg(1) + " 20s");
        verify(agents).release(alice.id(), saved().id);
        assertThat(saved().state()).isEqualTo(CallState.RINGING);
        assertThat(saved().legs.get(leg(0)).hangupCause).isEqualTo(19);
    }

    @Test
    void a_caller_who_gives_up_while_the_agent_rings_stops_the_ringing() {
        carrierCalls(DID);
        asterisk.drain();
        callerHangsUp(at(5), 16);
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        event(new AsteriskEvent.StasisEnd(at(5), leg(0)));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("caller_abandoned");
    }

    @Test
    void outbound_call_leaves_through_the_trunk_with_the_team_number_and_reports_busy_to_the_agent() {
        agentDials("5557654321");
        assertThat(asterisk.drain()).containsExactly(
                "createBridge " + bridge(), "createChannel PJSIP/+15557654321@telnyx", "dial " + leg(0) + " 60s");
        assertThat(asterisk.created.getFirst().variables())
                .containsEntry("CONNECTEDLINE(num,i)", DID).containsEntry("CALLERID(name)", "Psychology");
        assertThat(saved().direction).isEqualTo(Direction.OUTBOUND);
        assertThat(saved().toNumber).isEqualTo("+15557654321");

        event(new AsteriskEvent.DialResult(at(1), leg(0), "RINGING"));
        assertThat(asterisk.drain()).as("ringback relayed to the agent").containsExactly("ring agent-1");
        event(new AsteriskEvent.DialResult(at(2), leg(0), "BUSY"));
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        event(new AsteriskEvent.StasisEnd(at(2), leg(0)));
        assertThat(asterisk.drain()).containsExactly("hangup agent-1 BUSY");
        event(new AsteriskEvent.StasisEnd(at(2), "agent-1"));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("busy");
    }

    @Test
    void an_invalid_number_is_refused_with_a_message() {
        agentDials("12");
        assertThat(asterisk.drain()).containsExactly("answer agent-1", "play agent-1 sound:ss-noservice");
        assertThat(saved().hangupCause).isEqualTo("invalid_number");
    }

    @Test
    void internal_call_to_an_unreachable_colleague_fails_as_unavailable() {
        when(agents.reachableAndIdle(bob)).thenReturn(false);
        when(agents.isReachable(bob)).thenReturn(false);
        agentDials("1002");
        assertThat(asterisk.drain()).containsExactly("hangup agent-1 CONGESTION");
        assertThat(saved().direction).isEqualTo(Direction.INTERNAL);
        assertThat(saved().hangupCause).isEqualTo("unavailable");
    }

    @Test
    void a_late_answer_from_a_leg_we_gave_up_on_is_hung_up_and_the_answer_handled_once() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        asterisk.drain();
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        event(new AsteriskEvent.DialResult(at(3), leg(0), "ANSWER"));
        assertThat(asterisk.drain()).as("duplicate answer signals change nothing").isEmpty();
        assertThat(store.transitions()).containsOnlyOnce("RINGING>TALKING");
    }

    @Test
    void the_caller_vanishing_under_our_commands_is_a_race_not_an_error() {
        asterisk.gone.add(CARRIER_CHANNEL);
        carrierCalls(DID);
        assertThat(saved().state()).as("waits for StasisEnd, no fail-safe").isEqualTo(CallState.ROUTING);
        assertThat(saved().hangupCause).isNull();
        event(new AsteriskEvent.StasisEnd(at(1), CARRIER_CHANNEL));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("caller_abandoned");
        assertThat(saved().endedAt).isEqualTo(at(1));
    }

    @Test
    void after_an_asterisk_crash_lost_calls_are_closed_and_surviving_ones_resumed() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        asterisk.drain();
        asterisk.liveChannels = List.of();

        engine.onConnected(new AsteriskInfo("22", "test", at(30)));

        Call call = saved();
        assertThat(call.state()).isEqualTo(CallState.ENDED);
        assertThat(call.hangupCause).isEqualTo("asterisk_restarted");
        assertThat(call.endedAt).isEqualTo(T0);
        assertThat(asterisk.drain()).containsExactly("destroyBridge " + bridge());
    }

    @Test
    void a_call_that_survived_a_reconnect_keeps_talking() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        asterisk.drain();
        asterisk.liveChannels = List.of(channel(CARRIER_CHANNEL, "PJSIP/telnyx-1", ChannelState.UP),
                channel(leg(0), "PJSIP/1001-1", ChannelState.UP));

        engine.onConnected(new AsteriskInfo("22", "test", Instant.EPOCH));

        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(store.transitionEvents()).contains("resumed after reconnect");
        assertThat(asterisk.drain()).as("in-memory call: still subscribed").isEmpty();
    }

    @Test
    void a_channel_left_in_our_application_by_no_known_call_is_hung_up() {
        asterisk.liveChannels = List.of(new ChannelSnapshot("stray", "PJSIP/telnyx-9", ChannelState.UP, "", "", "",
                "from-trunk", DID, "Stasis", "callcenter,inbound", T0));
        engine.onConnected(new AsteriskInfo("22", "test", Instant.EPOCH));
        assertThat(asterisk.drain()).containsExactly("hangup stray NORMAL");
    }

    @Test
    void illegal_transitions_fail_loudly() {
        Call call = Call.start(UUID.randomUUID(), Direction.INBOUND, "a", "b", T0, "test");
        call.moveTo(CallState.ENDING, T0, "test", null);
        call.moveTo(CallState.ENDED, T0, "test", null);
        assertThatThrownBy(() -> call.moveTo(CallState.TALKING, T0, "late answer", null))
                .isInstanceOf(IllegalCallTransition.class)
                .hasMessageContaining("ENDED -> TALKING");
        assertThat(CallState.ROUTING.canMoveTo(CallState.TALKING)).as("no talking without ringing").isFalse();
        assertThat(CallState.TALKING.canMoveTo(CallState.RINGING)).isFalse();
    }

    @Test
    void events_of_channels_that_belong_to_no_call_are_ignored() {
        event(new AsteriskEvent.ChannelStateChanged(at(1), channel("unknown", "PJSIP/x-1", ChannelState.UP)));
        event(new AsteriskEvent.StasisEnd(at(1), "unknown"));
        assertThat(asterisk.drain()).isEmpty();
        assertThat(store.saved).isEmpty();
    }

    @Test
    void a_placed_call_rings_the_agent_with_auto_answer_then_dials_out_with_ringback_and_bridges_on_answer() {
        UUID callId = UUID.randomUUID();
        engine.place(new CallEngine.PlaceCall(callId, alice, team, "+15557654321", null, "lead-42"));
        createdLegsEnterApp();
        assertThat(asterisk.drain()).containsExactly("createChannel PJSIP/1001", "dial " + leg(0) + " 20s");
        assertThat(asterisk.created.getFirst().variables())
                .containsEntry("PJSIP_HEADER(add,X-CallCenter-Auto-Answer)", callId.toString())
                .containsEntry("CALLERID(num)", "+15557654321");
        assertThat(saved().state()).isEqualTo(CallState.ROUTING);

        event(new AsteriskEvent.ChannelStateChanged(at(1), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        createdLegsEnterApp();
        assertThat(asterisk.drain()).containsExactly(
                "ring " + leg(0),
                "createBridge " + bridge(),
                "createChannel PJSIP/+15557654321@telnyx",
                "dial " + leg(1) + " 60s");
        assertThat(asterisk.created.get(1).variables()).containsEntry("CALLERID(num)", DID);
        assertThat(saved().state()).isEqualTo(CallState.RINGING);

        event(new AsteriskEvent.ChannelStateChanged(at(5), channel(leg(1), "PJSIP/telnyx-1", ChannelState.UP)));
        assertThat(asterisk.drain()).containsExactly(
                "stopRinging " + leg(0),
                "addToBridge " + leg(0),
                "addToBridge " + leg(1),
                "set " + leg(0) + " TIMEOUT(absolute)=21610");
        Call call = saved();
        assertThat(call.state()).isEqualTo(CallState.TALKING);
        assertThat(call.direction).isEqualTo(Direction.OUTBOUND);
        assertThat(call.leadId).isEqualTo("lead-42");
        assertThat(updates).extracting(CallUpdated::state).containsSubsequence("ROUTING", "RINGING", "TALKING");
        assertThat(updates).extracting(CallUpdated::state).doesNotHaveDuplicates()
                .as("one announcement per change, none for events that change nothing shown");
    }

    @Test
    void a_placed_call_whose_agent_phone_does_not_answer_ends_without_dialling_out() {
        engine.place(new CallEngine.PlaceCall(UUID.randomUUID(), alice, team, "+15557654321", null, null));
        createdLegsEnterApp();
        asterisk.drain();
        event(new AsteriskEvent.DialResult(at(20), leg(0), "NOANSWER"));
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        assertThat(asterisk.created).hasSize(1);
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("agent_phone_no_answer");
    }

    @Test
    void the_talk_time_limit_is_announced_then_enforced_by_the_app() {
        Team shortCalls = new Team(team.id(), team.name(), DID, Duration.ofMinutes(5));
        when(routing.teamForNumber(DID)).thenReturn(Optional.of(shortCalls));
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        asterisk.drain();
        assertThat(timers.delays).containsExactly(Duration.ofMinutes(4).plusSeconds(3), Duration.ofMinutes(5).plusSeconds(3));

        timers.runDue();
        assertThat(asterisk.drain()).containsExactly("playOnBridge " + bridge() + " sound:beep", "hangup " + CARRIER_CHANNEL
                + " NORMAL", "hangup " + leg(0) + " NORMAL");
        assertThat(saved().hangupCause).isEqualTo("time_limit");
        assertThat(saved().state()).isEqualTo(CallState.ENDING);
    }

    @Test
    void a_number_on_the_do_not_call_list_dialled_from_a_desk_phone_is_refused_and_never_leaves() {
        when(dnc.contains("+15557654321")).thenReturn(true);
        agentDials("+15557654321");
        assertThat(asterisk.created).isEmpty();
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(saved().hangupCause).isEqualTo("do_not_call");
    }

    @Test
    void a_number_outside_the_allowed_prefixes_is_refused() {
        agentDials("+442071234567");
        assertThat(asterisk.created).isEmpty();
        assertThat(saved().hangupCause).isEqualTo("destination_not_allowed");
    }

    @Test
    void a_recorded_call_announces_recording_to_both_parties_and_records_the_bridge_from_the_answer() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, "sound:conf-now-recording"));
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        assertThat(asterisk.drain()).endsWith(
                "playOnBridge " + bridge() + " sound:conf-now-recording",
                "recordBridge call-" + saved().id + ".wav");
        assertThat(store.recordings).containsExactly("started call-" + saved().id);

        UUID callId = saved().id;
        engine.command(callId, call -> engine.pauseRecording(call, alice.id(), true));
        engine.command(callId, call -> engine.pauseRecording(call, alice.id(), false));
        assertThat(asterisk.drain()).containsExactly("mute call-" + callId, "unmute call-" + callId);
        assertThat(store.transitionEvents()).contains("recording paused", "recording resumed");
        assertThat(saved().recordingState()).isEqualTo("recording");

        callerHangsUp(at(60), 16);
        event(new AsteriskEvent.StasisEnd(at(60), leg(0)));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().recordingState()).as("an ended call is not being recorded, whenever Asterisk says so")
                .isNull();
    }

    @Test
    void a_third_party_joins_after_the_announcement_and_the_call_survives_any_one_party_leaving() {
        when(routing.recordingPolicy(team.id())).thenReturn(new io.callcenter.routing.RecordingPolicy(true, "sound:conf-now-recording"));
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        asterisk.drain();

        String third = engine.command(callId, call -> engine.addParticipant(call, alice.id(),
                new CallEngine.Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000")));
        createdLegsEnterApp();
        assertThat(asterisk.drain()).containsExactly("createChannel PJSIP/+15559990000@telnyx", "dial " + third + " 60s");
        event(new AsteriskEvent.ChannelStateChanged(at(10), channel(third, "PJSIP/telnyx-2", ChannelState.UP)));
        Leg joining = saved().legs.get(third);
        assertThat(asterisk.drain()).containsExactly("play " + third + " sound:conf-now-recording");
        event(new AsteriskEvent.PlaybackFinished(at(13), joining.joiningPlaybackId, Optional.of(third)));
        assertThat(asterisk.drain()).containsExactly("addToBridge " + third);
        assertThat(saved().legs.get(third).joined).isTrue();

        // The agent leaves: the customer and the third party talk on.
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(asterisk.drain()).isEmpty();
        // Then the customer: fewer than two remain, the call ends.
        callerHangsUp(at(30), 16);
        assertThat(saved().state()).isEqualTo(CallState.ENDING);
        assertThat(asterisk.drain()).containsExactly("hangup " + third + " NORMAL");
        assertThat(saved().legs.get(leg(0)).leaveReason).isEqualTo("hung_up");
    }

    @Test
    void at_most_three_parties() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        CallEngine.Target target = new CallEngine.Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "x");
        engine.command(callId, call -> engine.addParticipant(call, alice.id(), target));
        assertThatThrownBy(() -> engine.command(callId, call -> engine.addParticipant(call, alice.id(), target)))
                .isInstanceOf(CallEngine.CallCommandRefused.class).hasMessageContaining("at most 3");
    }

    @Test
    void attended_transfer_consults_apart_then_hands_the_customer_to_the_target() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        asterisk.drain();
        String target = engine.command(callId, call -> engine.startTransfer(call, alice.id(), Transfer.Mode.ATTENDED,
                new CallEngine.Target("PJSIP/1002", "1002", bob.id(), java.util.Map.of(), "extension 1002")));
        createdLegsEnterApp();
        String consult = saved().transfer.consultBridgeId;
        assertThat(asterisk.drain()).contains("removeFromBridge " + leg(0), "addToBridge " + leg(0), "ring " + leg(0),
                "playOnBridge " + bridge() + " sound:pls-hold-while-try", "createChannel PJSIP/1002");
        event(new AsteriskEvent.ChannelStateChanged(at(8), channel(target, "PJSIP/1002-1", ChannelState.UP)));
        assertThat(saved().transfer.state()).isEqualTo(Transfer.State.CONSULTING);
        assertThat(asterisk.drain()).containsExactly("stopRinging " + leg(0), "addToBridge " + target);
        assertThat(saved().state()).as("the customer waits on hold").isEqualTo(CallState.TALKING);

        engine.command(callId, call -> engine.completeTransfer(call, alice.id()));
        assertThat(asterisk.drain()).contains("removeFromBridge " + target, "addToBridge " + target,
                "hangup " + leg(0) + " NORMAL", "destroyBridge " + consult);
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        Call call = saved();
        assertThat(call.state()).isEqualTo(CallState.TALKING);
        assertThat(call.agentId).as("the call is the target's now").isEqualTo(bob.id());
        assertThat(call.legs.get(leg(0)).leaveReason).isEqualTo("transferred");
        assertThat(store.transitionEvents()).contains("attended transfer started", "consulting transfer target", "transfer completed");
    }

    @Test
    void a_blind_transfer_whose_target_does_not_answer_tells_the_customer_and_ends() {
        carrierCalls(DID);
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        UUID callId = saved().id;
        String target = engine.command(callId, call -> engine.startTransfer(call, alice.id(), Transfer.Mode.BLIND,
                new CallEngine.Target("PJSIP/+15559990000@telnyx", "+15559990000", null, java.util.Map.of(), "+15559990000")));
        createdLegsEnterApp();
        event(new AsteriskEvent.StasisEnd(at(4), leg(0)));
        assertThat(saved().state()).as("the customer waits while the target rings").isEqualTo(CallState.TALKING);
        asterisk.drain();
        event(new AsteriskEvent.DialResult(at(30), target, "NOANSWER"));
        event(new AsteriskEvent.StasisEnd(at(30), target));
        assertThat(saved().transfer.state()).isEqualTo(Transfer.State.FAILED);
        assertThat(saved().hangupCause).isEqualTo("transfer_failed");
        assertThat(asterisk.drain()).contains("playOnBridge " + bridge() + " sound:cannot-complete-as-dialed");
        event(new AsteriskEvent.PlaybackFinished(at(33), saved().endAfterPlaybackId, Optional.empty(), Optional.of(bridge())));
        assertThat(asterisk.drain()).containsExactly("hangup " + CARRIER_CHANNEL + " NORMAL");
    }

    @Test
    void illegal_transfer_transitions_fail_loudly() {
        Transfer transfer = new Transfer(Transfer.Mode.BLIND, "a", "b", null);
        transfer.moveTo(Transfer.State.COMPLETED);
        assertThatThrownBy(() -> transfer.moveTo(Transfer.State.CONSULTING)).isInstanceOf(IllegalCallTransition.class);
    }

    // ---------------------------------------------------------------- helpers


    /** Collects scheduled tasks; {@link #runDue} runs them in scheduling order, as time passing would. */
    static final class FakeTimer implements CallTimer {
        final List<Duration> delays = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void schedule(Duration delay, Runnable task) {
            delays.add(delay);
            tasks.add(task);
        }

        void runDue() {
            List<Runnable> due = List.copyOf(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    private void carrierCalls(String number) {
        event(new AsteriskEvent.StasisStart(T0, new ChannelSnapshot(CARRIER_CHANNEL, "PJSIP/telnyx-00000001",
                ChannelState.RING, "+15551230000", "", "", "from-trunk", number, "Stasis", "callcenter,inbound", T0),
                List.of("inbound")));
        createdLegsEnterApp();
    }

    private void agentDials(String number) {
        event(new AsteriskEvent.StasisStart(T0, new ChannelSnapshot("agent-1", "PJSIP/1001-00000001",
                ChannelState.RING, "1001", "Alice", "", "from-agents", number, "Stasis", "callcenter,dial", T0),
                List.of("dial")));
        createdLegsEnterApp();
    }

    /** Asterisk puts a created channel into the application (StasisStart) before the engine may dial it. */
    private void createdLegsEnterApp() {
        for (int n = enteredLegs; n < asterisk.created.size(); n++) {
            enteredLegs++;
            event(new AsteriskEvent.StasisStart(T0, channel(leg(n), asterisk.created.get(n).endpoint() + "-1",
                    ChannelState.DOWN), List.of("leg", "x")));
        }
    }

    private void callerHangsUp(Instant at, int cause) {
        event(new AsteriskEvent.HangupRequested(at, CARRIER_CHANNEL, cause));
        event(new AsteriskEvent.StasisEnd(at, CARRIER_CHANNEL));
    }

    private void event(AsteriskEvent event) {
        engine.onEvent(event);
    }

    private Call saved() {
        return store.saved.getLast();
    }

    private String bridge() {
        return saved().bridgeId;
    }

    /** The n-th leg the engine created (its channel id is a UUID chosen by the engine). */
    private String leg(int n) {
        return asterisk.created.get(n).channelId();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static ChannelSnapshot channel(String id, String name, ChannelState state) {
        return new ChannelSnapshot(id, name, state, "", "", "", "", "", "", "", T0);
    }

    /** Keeps what the engine saved; the real repository is exercised by the integration tests. */
    private static final class SavedCalls implements CallStore {
        final List<Call> saved = new ArrayList<>();
        final List<Call.Transition> transitions = new ArrayList<>();

        @Override
        public void save(Call call) {
            saved.remove(call);
            saved.add(call);
            transitions.addAll(call.drainTransitions());
        }

        List<String> transitionEvents() {
            return transitions.stream().map(Call.Transition::event).toList();
        }

        List<String> transitions() {
            // Notes (no change of state) are in the log too; these are the state changes.
            return transitions.stream().filter(t -> t.from() != t.to()).map(t -> t.from() + ">" + t.to()).toList();
        }

        @Override public List<UUID> openCallIds() { return List.of(); }
        @Override public List<String> openLegChannelIds() { return List.of(); }
        @Override public Optional<Call> loadOpen(UUID id) { return Optional.empty(); }
        @Override public void recordingStarted(UUID callId, String name, String format, Instant at) { recordings.add("started " + name); }
        @Override public void recordingFinished(String name, Instant at, Recordings.FileFacts facts, boolean recovered) { recordings.add("finished " + name); }
        final List<String> recordings = new ArrayList<>();
    }

}
