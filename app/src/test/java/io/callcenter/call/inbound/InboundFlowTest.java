package io.callcenter.call.inbound;

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
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.callcenter.call.CallState;
import io.callcenter.call.Direction;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.IllegalCallTransition;
import io.callcenter.call.model.Origin;
import io.callcenter.call.model.Target;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.placed.PlacedCallFlow;

/** The inbound flow: a call to one of our numbers hunts through the team's agents, or hears a message. */
class InboundFlowTest extends CallEngineFixture {

    @Test
    void inbound_call_rings_the_longest_idle_agent_bridges_on_answer_and_ends_when_the_caller_hangs_up() {
        carrierCalls(DID);
        assertThat(asterisk.drain()).containsExactly(
                "ring " + CARRIER_CHANNEL,
                "createChannel PJSIP/1001",
                "dial " + leg(0) + " 20s");
        assertThat(asterisk.created.getFirst().variables())
                .containsEntry("CALLERID(num)", "+15551230000")
                .containsEntry("CONNECTEDLINE(num,i)", "+15551230000");

        event(new AsteriskEvent.DialResult(at(1), leg(0), "RINGING"));
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-00000001", ChannelState.UP)));
        assertThat(asterisk.drain()).containsExactlyElementsOf(callerAnsweredAndBridgedWithFirstLeg());
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
        when(agents.availableInTeam(org.mockito.ArgumentMatchers.eq(team.id()), org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
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

    /** The agent answered: the caller's 200 first, then the bridge, both joins and the call's time limit. */
    private List<String> callerAnsweredAndBridgedWithFirstLeg() {
        return List.of("answer " + CARRIER_CHANNEL, "createBridge " + bridge(), "addToBridge " + CARRIER_CHANNEL,
                "addToBridge " + leg(0), "set " + CARRIER_CHANNEL + " TIMEOUT(absolute)=21610");
    }

    @Test
    void an_originated_agent_joins_only_once_in_the_application_its_answer_taken_from_its_stasis_start() {
        event(new AsteriskEvent.StasisStart(T0, new ChannelSnapshot(CARRIER_CHANNEL, "PJSIP/telnyx-00000001",
                ChannelState.RING, "+15551230000", "", "", "from-trunk", DID, "Stasis", "callcenter,inbound", T0),
                List.of("inbound")));
        assertThat(asterisk.drain()).containsExactly("ring " + CARRIER_CHANNEL, "createChannel PJSIP/1001",
                "dial " + leg(0) + " 20s");
        verify(agents, never()).byId(alice.id());

        // As Asterisk tells an originated channel's answer: the state and the dial first, outside the application.
        event(new AsteriskEvent.DialResult(at(1), leg(0), "RINGING"));
        event(new AsteriskEvent.ChannelStateChanged(at(3), channel(leg(0), "PJSIP/1001-00000001", ChannelState.UP)));
        event(new AsteriskEvent.DialResult(at(3), leg(0), "ANSWER"));
        assertThat(asterisk.drain()).as("a channel outside the application cannot join a bridge").isEmpty();
        assertThat(saved().state()).isEqualTo(CallState.RINGING);

        event(new AsteriskEvent.StasisStart(at(3), channel(leg(0), "PJSIP/1001-00000001", ChannelState.UP),
                List.of("leg", saved().id.toString())));
        assertThat(asterisk.drain()).containsExactlyElementsOf(callerAnsweredAndBridgedWithFirstLeg());
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(saved().answeredAt).isEqualTo(at(3));
    }

    @Test
    void an_agent_who_does_not_answer_is_skipped_for_the_next_one() {
        carrierCalls(DID);
        asterisk.drain();
        event(new AsteriskEvent.HangupRequested(at(20), leg(0), 19));
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        assertThat(asterisk.drain()).as("the next agent's channel made and dialled in one request")
                .containsExactly("createChannel PJSIP/1002", "dial " + leg(1) + " 20s");
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
    void an_agent_leg_that_cannot_be_dialled_after_the_caller_gave_up_rings_nobody_else() {
        // Under load the agent's channel can enter the application after the caller has hung up: its dial then
        // fails on a channel being hung up, and the call (ENDING) must not hunt on (seen by make bench at 40 cps).
        event(new AsteriskEvent.StasisStart(T0, new ChannelSnapshot(CARRIER_CHANNEL, "PJSIP/telnyx-00000001",
                ChannelState.RING, "+15551230000", "", "", "from-trunk", DID, "Stasis", "callcenter,inbound", T0),
                List.of("inbound")));
        asterisk.drain();
        callerHangsUp(at(1), 16);
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        asterisk.gone.add(leg(0));
        createdLegsEnterApp();
        assertThat(asterisk.drain()).as("nobody else rung, nothing dialled").isEmpty();
        event(new AsteriskEvent.StasisEnd(at(1), leg(0)));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("caller_abandoned");
        assertThat(reservations).as("no agent left reserved").isEmpty();
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
    void an_agent_another_call_took_first_is_skipped_without_ringing() {
        reservations.put(alice.id(), UUID.randomUUID());
        carrierCalls(DID);
        assertThat(asterisk.drain()).containsExactly(
                "ring " + CARRIER_CHANNEL,
                "createChannel PJSIP/1002",
                "dial " + leg(0) + " 20s");
        assertThat(reservations.get(bob.id())).isEqualTo(saved().id);
    }

    @Test
    void when_every_agent_is_taken_by_other_calls_the_caller_hears_the_message() {
        reservations.put(alice.id(), UUID.randomUUID());
        reservations.put(bob.id(), UUID.randomUUID());
        carrierCalls(DID);
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(saved().hangupCause).isEqualTo("no_agent_available");
        assertThat(asterisk.created).isEmpty();
    }

    @Test
    void an_agent_whose_phone_failed_is_free_again_for_the_next_call() {
        carrierCalls(DID);
        event(new AsteriskEvent.DialResult(at(1), leg(0), "CHANUNAVAIL"));
        event(new AsteriskEvent.StasisEnd(at(1), leg(0)));
        assertThat(reservations).doesNotContainKey(alice.id());
        assertThat(reservations.get(bob.id())).isEqualTo(saved().id);
    }
}
