package io.callcenter.call.limit;

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

/** The team's talk-time limit: a warning, then the end, by the app; Asterisk's backstop behind it. */
class TalkTimeLimitTest extends CallEngineFixture {

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
}
