package io.callcenter.call.placed;

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
import io.callcenter.call.CallUpdated;
import io.callcenter.call.Direction;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.IllegalCallTransition;
import io.callcenter.call.model.Origin;
import io.callcenter.call.model.Target;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.placed.PlacedCallFlow;

/** Calls placed through the API: the agent's phone first, with auto-answer, then the far end. */
class PlacedCallFlowTest extends CallEngineFixture {

    @Test
    void a_placed_call_rings_the_agent_with_auto_answer_then_dials_out_with_ringback_and_bridges_on_answer() {
        UUID callId = UUID.randomUUID();
        engine.place(new PlacedCallFlow.PlaceCall(callId, alice, team, "+15557654321", null, "lead-42"));
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
                "createChannel PJSIP/+15557654321@telnyx",
                "dial " + leg(1) + " 60s");
        assertThat(asterisk.created.get(1).variables()).containsEntry("CALLERID(num)", DID);
        assertThat(saved().state()).isEqualTo(CallState.RINGING);

        event(new AsteriskEvent.ChannelStateChanged(at(5), channel(leg(1), "PJSIP/telnyx-1", ChannelState.UP)));
        assertThat(asterisk.drain()).containsExactly(
                "stopRinging " + leg(0),
                "createBridge " + bridge(),
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
        engine.place(new PlacedCallFlow.PlaceCall(UUID.randomUUID(), alice, team, "+15557654321", null, null));
        createdLegsEnterApp();
        asterisk.drain();
        event(new AsteriskEvent.DialResult(at(20), leg(0), "NOANSWER"));
        event(new AsteriskEvent.StasisEnd(at(20), leg(0)));
        assertThat(asterisk.drain()).containsExactly("hangup " + leg(0) + " NORMAL");
        assertThat(asterisk.created).hasSize(1);
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
        assertThat(saved().hangupCause).isEqualTo("agent_phone_no_answer");
    }
}
