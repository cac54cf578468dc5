package io.callcenter.call.supervision;

import io.callcenter.call.CallState;
import io.callcenter.call.Direction;
import io.callcenter.call.command.CallCommand;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.CommandRefused;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The supervision room's decisions, step by step, as the commands it sends (our own Commands port, recorded). */
class SupervisionTest {

    private static final Instant AT = Instant.parse("2026-11-27T15:00:00Z");
    private final List<CallCommand> sent = new ArrayList<>();
    private final Supervision supervision = new Supervision(sent::add, Duration.ofSeconds(20));
    private final UUID agent = UUID.randomUUID();
    private final UUID maria = UUID.randomUUID();
    private final Call call = talkingCall();

    private Call talkingCall() {
        Call c = Call.start(UUID.randomUUID(), Origin.INBOUND, Direction.INBOUND, "+15551230000", "+15550100", AT, "test");
        c.agentId = agent;
        Leg caller = c.addLeg(new Leg("caller-1", Leg.Role.CALLER, "PJSIP/telnyx", "+15551230000", null, AT));
        Leg agentLeg = c.addLeg(new Leg("agent-1", Leg.Role.CALLEE, "PJSIP/1001", "1001", agent, AT));
        caller.answeredAt = AT;
        agentLeg.answeredAt = AT;
        caller.joinedAt(AT);
        agentLeg.joinedAt(AT);
        c.moveTo(CallState.RINGING, AT, "test", null);
        c.moveTo(CallState.TALKING, AT, "test", null);
        c.drainTransitions();
        return c;
    }

    private <T extends CallCommand> List<T> sentOf(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** maria listening: her snoop channel and her phone in her bridge. */
    private void listening() {
        supervision.watch(call, maria, "maria", "PJSIP/9001", Mode.LISTEN, AT);
        supervision.entered(call, sentOf(CallCommand.Snoop.class).getFirst().snoopChannelId(), AT);
        supervision.answered(call, sentOf(CallCommand.CreateChannel.class).getFirst().channelId(), AT);
    }

    private List<String> notes() {
        return call.drainTransitions().stream().map(t -> t.event() + ": " + t.detail()).toList();
    }

    @Test
    void listening_snoops_the_agents_leg_hearing_both_ways_and_whispering_nowhere_in_a_bridge_of_its_own() {
        supervision.watch(call, maria, "maria", "PJSIP/9001", Mode.LISTEN, AT);

        CallCommand.CreateBridge bridge = sentOf(CallCommand.CreateBridge.class).getFirst();
        assertThat(bridge.bridgeId()).startsWith(Supervision.BRIDGE_PREFIX).isNotEqualTo(call.bridgeId);
        CallCommand.Snoop snoop = sentOf(CallCommand.Snoop.class).getFirst();
        assertThat(snoop.channelId()).isEqualTo("agent-1");
        assertThat(snoop.spy()).isEqualTo("both");
        assertThat(snoop.whisper()).isEqualTo("none");
        CallCommand.CreateChannel phone = sentOf(CallCommand.CreateChannel.class).getFirst();
        assertThat(phone.endpoint()).isEqualTo("PJSIP/9001");
        assertThat(phone.variables()).as("the supervisor's phone answers by itself").containsKey("PJSIP_HEADER(add,Call-Info)");
        assertThat(sentOf(CallCommand.Dial.class)).as("not dialled before it is in the application").isEmpty();
        supervision.entered(call, phone.channelId(), AT);
        assertThat(sentOf(CallCommand.Dial.class)).extracting(CallCommand.Dial::channelId).containsExactly(phone.channelId());
        // Nothing touches the call's own bridge: its parties and its recording stay as they are.
        assertThat(sentOf(CallCommand.AddToBridge.class)).isEmpty();
        assertThat(supervision.owns(call, snoop.snoopChannelId())).isTrue();
        assertThat(supervision.owns(call, phone.channelId())).isTrue();
        assertThat(supervision.owns(call, "agent-1")).isFalse();

        sent.clear();
        supervision.entered(call, snoop.snoopChannelId(), AT);
        supervision.answered(call, phone.channelId(), AT.plusSeconds(1));
        assertThat(sentOf(CallCommand.AddToBridge.class)).extracting(CallCommand.AddToBridge::bridgeId, CallCommand.AddToBridge::channelId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(bridge.bridgeId(), snoop.snoopChannelId()),
                        org.assertj.core.groups.Tuple.tuple(bridge.bridgeId(), phone.channelId()));
        assertThat(notes()).containsExactly("supervision requested: listen by maria", "supervision started: listen by maria");
    }

    @Test
    void whisper_reaches_only_the_agent_and_barge_both_ways() {
        assertThat(Mode.WHISPER.whisper()).as("out: what the agent's channel sends to the agent's phone").isEqualTo("out");
        assertThat(Mode.BARGE.whisper()).as("both: also into the call's bridge, so the customer and the recording").isEqualTo("both");

        supervision.watch(call, maria, "maria", "PJSIP/9001", Mode.WHISPER, AT);
        assertThat(sentOf(CallCommand.Snoop.class).getFirst().whisper()).isEqualTo("out");
    }

    @Test
    void switching_mode_brings_a_new_snoop_into_the_bridge_before_dropping_the_old_one_and_keeps_the_supervisors_phone() {
        listening();
        String first = sentOf(CallCommand.Snoop.class).getFirst().snoopChannelId();
        String phone = sentOf(CallCommand.CreateChannel.class).getFirst().channelId();
        notes();
        sent.clear();

        supervision.watch(call, maria, "maria", "PJSIP/9001", Mode.BARGE, AT.plusSeconds(5));
        CallCommand.Snoop second = sentOf(CallCommand.Snoop.class).getFirst();
        assertThat(second.whisper()).isEqualTo("both");
        assertThat(sentOf(CallCommand.Hangup.class)).as("the old snoop stays until the new one is in").isEmpty();
        assertThat(supervision.mode(call)).contains(Mode.LISTEN);

        supervision.entered(call, second.snoopChannelId(), AT.plusSeconds(5));
        assertThat(sent).filteredOn(c -> !(c instanceof CallCommand.Snoop)).containsExactly(
                new CallCommand.AddToBridge(sentOf(CallCommand.AddToBridge.class).getFirst().bridgeId(), second.snoopChannelId()),
                new CallCommand.Hangup(first, io.callcenter.asterisk.AsteriskGateway.HangupReason.NORMAL));
        assertThat(sent).noneMatch(c -> c instanceof CallCommand.Hangup h && h.channelId().equals(phone));
        assertThat(supervision.mode(call)).contains(Mode.BARGE);
        assertThat(notes()).containsExactly("supervision mode requested: barge by maria", "supervision mode: barge by maria");
    }

    @Test
    void the_supervisor_hanging_up_ends_the_session_in_the_log_and_removes_snoop_and_bridge() {
        listening();
        String snoop = sentOf(CallCommand.Snoop.class).getFirst().snoopChannelId();
        String bridge = sentOf(CallCommand.CreateBridge.class).getFirst().bridgeId();
        String phone = sentOf(CallCommand.CreateChannel.class).getFirst().channelId();
        notes();
        sent.clear();

        supervision.gone(call, phone, AT.plusSeconds(30));

        assertThat(sent).containsExactly(
                new CallCommand.Hangup(snoop, io.callcenter.asterisk.AsteriskGateway.HangupReason.NORMAL),
                new CallCommand.DestroyBridge(bridge));
        assertThat(notes()).containsExactly("supervision ended: listen by maria; supervisor hung up");
        assertThat(supervision.mode(call)).isEmpty();
        assertThat(supervision.owns(call, phone)).isFalse();
    }

    @Test
    void the_call_ending_takes_the_supervisor_with_it() {
        supervision.watch(call, maria, "maria", "PJSIP/9001", Mode.WHISPER, AT);
        String phone = sentOf(CallCommand.CreateChannel.class).getFirst().channelId();
        sent.clear();

        supervision.gone(call, "agent-1", AT.plusSeconds(3));

        assertThat(sentOf(CallCommand.Hangup.class)).extracting(CallCommand.Hangup::channelId).contains(phone);
        assertThat(sentOf(CallCommand.DestroyBridge.class)).hasSize(1);
        assertThat(notes()).last().isEqualTo("supervision ended: whisper by maria; agent left the call");
    }

    @Test
    void a_call_not_in_conversation_or_supervised_by_someone_else_is_refused() {
        Call ringing = Call.start(UUID.randomUUID(), Origin.INBOUND, Direction.INBOUND, "+15551230000", "+15550100", AT, "test");
        assertThatThrownBy(() -> supervision.watch(ringing, maria, "maria", "PJSIP/9001", Mode.LISTEN, AT))
                .isInstanceOf(CommandRefused.class).hasMessageContaining("not in conversation");

        supervision.watch(call, maria, "maria", "PJSIP/9001", Mode.LISTEN, AT);
        assertThatThrownBy(() -> supervision.watch(call, UUID.randomUUID(), "sam", "PJSIP/9002", Mode.BARGE, AT))
                .isInstanceOf(CommandRefused.class).hasMessageContaining("already supervised by maria");
        assertThatThrownBy(() -> supervision.stop(call, UUID.randomUUID(), AT))
                .isInstanceOf(CommandRefused.class);
    }
}
