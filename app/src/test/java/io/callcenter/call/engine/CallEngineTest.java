package io.callcenter.call.engine;

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

/** What the engine itself owns: routing events to calls, the lifecycle's legal transitions, races. */
class CallEngineTest extends CallEngineFixture {

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
    void illegal_transitions_fail_loudly() {
        Call call = Call.start(UUID.randomUUID(), Origin.INBOUND, Direction.INBOUND, "a", "b", T0, "test");
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
}
