package io.callcenter.call.admission;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.call.CallState;
import io.callcenter.call.admission.AdmissionDecision.Limits;
import io.callcenter.call.admission.AdmissionDecision.Signals;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbound hook on the engine's fakes: a call over the limit is hung up unanswered with congestion (503). */
class InboundAdmissionTest extends CallEngineFixture {

    private final List<String> refused = new ArrayList<>();

    @BeforeEach
    void limitOfOneCall() {
        engine.admitWith(new Admission(new Limits(1, 0, 0, 0, Duration.ZERO, Duration.ofSeconds(10),
                Duration.ofSeconds(5)), () -> new Signals(engine.liveCalls(), 0, 0, 0, Duration.ZERO), clock,
                (entry, reason) -> refused.add(entry + " " + reason)));
    }

    @Test
    void the_first_call_rings_an_agent_and_the_second_is_turned_away_unanswered_with_congestion() {
        UUID first = talkingInbound();
        asterisk.drain();

        event(new AsteriskEvent.StasisStart(at(5), channel("carrier-2", "PJSIP/telnyx-00000002",
                io.callcenter.asterisk.ChannelState.RING), List.of("inbound")));
        // Nothing answered, nothing rung: the carrier hears 503 (cause 34) and may try another route.
        assertThat(asterisk.drain()).containsExactly("hangup carrier-2 CONGESTION");
        Call second = saved();
        assertThat(second.id).isNotEqualTo(first);
        assertThat(second.hangupCause).isEqualTo("over_capacity");
        assertThat(second.state()).isEqualTo(CallState.ENDING);
        assertThat(store.transitions()).contains("ROUTING>ENDING");
        assertThat(refused).containsExactly("INBOUND calls-at-limit");

        event(new AsteriskEvent.StasisEnd(at(5), "carrier-2"));
        assertThat(saved().state()).isEqualTo(CallState.ENDED);
    }

    @Test
    void under_the_limit_nothing_changes() {
        carrierCalls(DID);
        assertThat(asterisk.drain()).first().isEqualTo("ring " + CARRIER_CHANNEL);
        assertThat(refused).isEmpty();
    }
}
