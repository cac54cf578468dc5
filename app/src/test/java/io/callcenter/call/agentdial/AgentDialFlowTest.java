package io.callcenter.call.agentdial;

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

/** An agent's phone dials a colleague or a number; the outbound guard decides before anything leaves. */
class AgentDialFlowTest extends CallEngineFixture {

    @Test
    void outbound_call_leaves_through_the_trunk_with_the_team_number_and_reports_busy_to_the_agent() {
        agentDials("5557654321");
        assertThat(asterisk.drain()).containsExactly(
                "createChannel PJSIP/+15557654321@telnyx", "dial " + leg(0) + " 60s");
        assertThat(asterisk.created.getFirst().variables())
                .containsEntry("CONNECTEDLINE(num,i)", DID).containsEntry("CALLERID(name)", "Psychology");
        assertThat(saved().direction).isEqualTo(Direction.OUTBOUND);
        assertThat(saved().toNumber).isEqualTo("+15557654321");

        event(new AsteriskEvent.DialResult(at(1), leg(0), "RINGING"));
        assertThat(asterisk.drain()).as("ringback relayed to the agent").containsExactly("ring agent-1");
        event(new AsteriskEvent.DialResult(at(2), leg(0), "BUSY"));
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        event(new AsteriskEvent.StasisEnd(at(2), leg(0)));
        assertThat(asterisk.drain()).as("no bridge was made for a call nobody answered").containsExactly("hangup agent-1 BUSY");
        event(new AsteriskEvent.StasisEnd(at(2), "agent-1"));
        assertThat(asterisk.drain()).as("nor destroyed").isEmpty();
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
    void a_desk_phone_dialling_out_while_its_agent_is_held_by_another_call_is_refused() {
        // Offered a queued caller, or on a call through another line: the reservation belongs to another call.
        reservations.put(alice.id(), UUID.randomUUID());
        agentDials("5557654321");
        assertThat(asterisk.created).as("nothing leaves through the trunk").isEmpty();
        assertThat(saved().hangupCause).isEqualTo("agent_busy");
        assertThat(saved().reservedAgents).as("the other call keeps the agent").isEmpty();
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
    void a_colleague_on_another_call_is_busy_and_is_never_rung() {
        UUID otherCall = UUID.randomUUID();
        reservations.put(bob.id(), otherCall);
        agentDials("1002");
        assertThat(saved().state()).isIn(CallState.ENDING, CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("busy");
        assertThat(asterisk.created).isEmpty();
        assertThat(asterisk.drain()).containsExactly("hangup agent-1 BUSY");
        assertThat(reservations.get(bob.id())).as("the other call keeps its agent").isEqualTo(otherCall);
    }

    @Test
    void calling_your_own_extension_is_busy() {
        agentDials("1001");
        assertThat(saved().hangupCause).isEqualTo("busy");
        assertThat(asterisk.created).isEmpty();
    }
}
