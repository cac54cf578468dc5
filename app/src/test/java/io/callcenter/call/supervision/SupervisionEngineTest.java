package io.callcenter.call.supervision;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.call.CallState;
import io.callcenter.call.engine.CallEngineFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The supervision room inside the engine (fake Asterisk): its channels are never parties of the call. */
class SupervisionEngineTest extends CallEngineFixture {

    private final UUID maria = UUID.randomUUID();

    @Test
    void a_supervisor_joins_switches_and_leaves_while_the_call_and_its_parties_stay_as_they_are() {
        UUID callId = talkingInbound();
        String agentLeg = leg(0);
        asterisk.drain();
        int legs = saved().legs.size();

        engine.supervise(callId, maria, "maria", "PJSIP/1009", Mode.LISTEN);
        List<String> asked = asterisk.drain();
        assertThat(asked).as("the phone is dialled once it is in the application, not before").hasSize(3);
        assertThat(asked.get(0)).startsWith("createBridge " + Supervision.BRIDGE_PREFIX);
        assertThat(asked.get(1)).startsWith("snoop " + agentLeg + " as snoop-").endsWith(" spy=both whisper=none");
        assertThat(asked.get(2)).isEqualTo("createChannel PJSIP/1009");
        String phone = leg(1);
        String snoop = asked.get(1).split(" ")[3];

        // Asterisk puts both into the application; the phone is dialled, the snoop joins the supervisor's bridge at
        // once, the phone once up.
        createdLegsEnterApp();
        assertThat(asterisk.drain()).singleElement().asString().startsWith("dial " + phone + " ");
        event(new AsteriskEvent.StasisStart(at(20), channel(snoop, "Snoop/" + agentLeg, ChannelState.UP), List.of("leg", callId.toString())));
        event(new AsteriskEvent.ChannelStateChanged(at(21), channel(phone, "PJSIP/1009-1", ChannelState.UP)));
        event(new AsteriskEvent.DialResult(at(21), phone, "ANSWER"));
        assertThat(asterisk.drain()).as("one answer however often Asterisk reports it")
                .containsExactly("addToBridge " + snoop, "addToBridge " + phone);
        assertThat(saved().legs).hasSize(legs);
        assertThat(saved().state()).isEqualTo(CallState.TALKING);

        engine.supervise(callId, maria, "maria", "PJSIP/1009", Mode.BARGE);
        String bargeSnoop = asterisk.drain().getFirst().split(" ")[3];
        event(new AsteriskEvent.StasisStart(at(30), channel(bargeSnoop, "Snoop/" + agentLeg, ChannelState.UP), List.of("leg", callId.toString())));
        assertThat(asterisk.drain()).containsExactly("addToBridge " + bargeSnoop, "hangup " + snoop + " NORMAL");

        // The old snoop going away is not a party leaving; the supervisor hanging up ends only the supervision.
        event(new AsteriskEvent.StasisEnd(at(31), snoop));
        event(new AsteriskEvent.ChannelDestroyed(at(31), snoop, 16, "Normal Clearing"));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        event(new AsteriskEvent.StasisEnd(at(40), phone));
        assertThat(asterisk.drain()).containsExactly("hangup " + bargeSnoop + " NORMAL",
                asked.get(0).replace("createBridge", "destroyBridge"));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        assertThat(saved().legs).hasSize(legs);
        assertThat(store.transitionEvents()).filteredOn(e -> e.startsWith("supervision")).containsExactly(
                "supervision requested", "supervision started", "supervision mode requested", "supervision mode",
                "supervision ended");
    }

    @Test
    void a_call_that_is_over_cannot_be_supervised() {
        UUID callId = talkingInbound();
        callerHangsUp(at(10), 16);
        assertThatThrownBy(() -> engine.supervise(callId, maria, "maria", "PJSIP/1009", Mode.LISTEN))
                .hasMessageContaining("not");
    }
}
