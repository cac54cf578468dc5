package io.callcenter.call.handover;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.ChannelSnapshot;
import io.callcenter.asterisk.ChannelState;
import io.callcenter.call.CallState;
import io.callcenter.call.DialledLeads;
import io.callcenter.call.engine.CallEngineFixture;
import io.callcenter.call.model.Call;
import io.callcenter.call.parties.Parties;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A person the dialler reached and the carrier transferred to us: connected to the agent reserved for the attempt,
 * or, if that cannot happen, the campaign's safe-harbor message (with its opt-out key), and the attempt abandoned.
 */
class LeadHandoverFlowTest extends CallEngineFixture {

    private static final String PERSON = "lead-channel";
    private final UUID attemptId = UUID.randomUUID();
    private final UUID leadId = UUID.randomUUID();

    private DialledLeads.Handover handover() {
        return new DialledLeads.Handover(attemptId, UUID.randomUUID(), team.id(), alice.id(), leadId, "+15557654321",
                "Jane Doe", "sound:custom/acme-safe-harbor", "Acme Corp, call 555 0100, press 9 to opt out", "9");
    }

    @Test
    void the_person_is_answered_at_once_and_the_reserved_agent_rung_with_auto_answer_then_connected() {
        reservations.put(alice.id(), attemptId);
        when(dialer.claim(attemptId)).thenReturn(Optional.of(handover()));
        personArrives();
        Call call = saved();
        assertThat(call.id).as("the call takes the attempt's id").isEqualTo(attemptId);
        assertThat(asterisk.drain()).containsExactly(
                "answer " + PERSON,
                "createChannel PJSIP/1001",
                "dial " + leg(0) + " 20s");
        assertThat(asterisk.created.getFirst().variables())
                .containsEntry("PJSIP_HEADER(add," + Parties.AUTO_ANSWER_HEADER + ")", attemptId.toString())
                .containsEntry("CALLERID(name)", "Jane Doe")
                .containsEntry("CALLERID(num)", "+15557654321");

        event(new AsteriskEvent.ChannelStateChanged(at(1), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        assertThat(saved().state()).isEqualTo(CallState.TALKING);
        verify(dialer).connected(attemptId, attemptId, at(1));
        verify(dialer, never()).abandoned(any(), any(), any());
        assertThat(saved().leadId).isEqualTo(leadId.toString());
    }

    @Test
    void the_dialler_hears_of_the_connection_when_it_happens_not_when_the_calls_write_commits() {
        reservations.put(alice.id(), attemptId);
        when(dialer.claim(attemptId)).thenReturn(Optional.of(handover()));
        personArrives();
        // The database stops taking the call's writes (an outage, or 200 other calls' writes ahead of this one).
        store.outage = new IllegalStateException("database away");
        event(new AsteriskEvent.ChannelStateChanged(at(1), channel(leg(0), "PJSIP/1001-1", ChannelState.UP)));
        verify(dialer).connected(attemptId, attemptId, at(1));
    }

    @Test
    void a_call_the_carrier_caps_sooner_than_the_team_ends_before_the_carrier_so_the_agent_is_warned_first() {
        reservations.put(alice.id(), attemptId);
        DialledLeads.Handover h = handover();
        // Dialled 3 h 50 min ago: Telnyx's 4-hour time_limit_secs leaves 10 minutes, less than the team's 6 hours.
        when(dialer.claim(attemptId)).thenReturn(Optional.of(new DialledLeads.Handover(h.attemptId(), h.campaignId(),
                h.teamId(), h.agentId(), h.leadId(), h.leadNumber(), h.leadName(), h.safeHarborSound(),
                h.safeHarborMessage(), h.optOutDigit(), T0.plus(java.time.Duration.ofMinutes(10)))));
        personArrives();
        assertThat(saved().maxCallSeconds).isEqualTo(600 - DialledLeads.CARRIER_MARGIN.toSeconds());
    }

    @Test
    void without_a_carrier_cap_the_teams_talk_time_limit_holds() {
        reservations.put(alice.id(), attemptId);
        when(dialer.claim(attemptId)).thenReturn(Optional.of(handover()));
        personArrives();
        assertThat(saved().maxCallSeconds).isEqualTo(team.maxCallDuration().toSeconds());
    }

    @Test
    void an_agent_phone_that_fails_abandons_the_attempt_and_the_person_hears_the_campaigns_message() {
        reservations.put(alice.id(), attemptId);
        when(dialer.claim(attemptId)).thenReturn(Optional.of(handover()));
        personArrives();
        asterisk.drain();
        event(new AsteriskEvent.DialResult(at(2), leg(0), "CHANUNAVAIL"));
        event(new AsteriskEvent.StasisEnd(at(2), leg(0)));
        verify(dialer).abandoned(eq(attemptId), eq(at(2)), any());
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(asterisk.drain()).contains("play " + PERSON + " sound:custom/acme-safe-harbor");
        assertThat(reservations).as("the agent is free again").doesNotContainKey(alice.id());
        verify(dialer, never()).connected(any(), any(), any());
    }

    @Test
    void the_opt_out_key_during_the_message_lists_the_person_once() {
        reservations.put(alice.id(), attemptId);
        when(dialer.claim(attemptId)).thenReturn(Optional.of(handover()));
        personArrives();
        event(new AsteriskEvent.DialResult(at(2), leg(0), "BUSY"));
        event(new AsteriskEvent.StasisEnd(at(2), leg(0)));
        event(new AsteriskEvent.DtmfReceived(at(4), PERSON, '5'));
        verify(dialer, never()).optedOut(any(), any());
        event(new AsteriskEvent.DtmfReceived(at(5), PERSON, '9'));
        event(new AsteriskEvent.DtmfReceived(at(6), PERSON, '9'));
        verify(dialer).optedOut(attemptId, at(5));
        assertThat(store.transitionEvents()).containsOnlyOnce("opted out");
    }

    @Test
    void a_person_no_attempt_waits_for_hears_the_safe_harbor_and_no_agent_is_rung() {
        when(dialer.claim(attemptId)).thenReturn(Optional.empty());
        personArrives();
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(saved().hangupCause).isEqualTo("abandoned");
        assertThat(asterisk.created).isEmpty();
        assertThat(asterisk.drain()).containsExactly("answer " + PERSON, "play " + PERSON + " sound:vm-nobodyavail");
    }

    @Test
    void a_person_given_up_on_meanwhile_still_hears_the_campaigns_message_and_may_opt_out() {
        when(dialer.claim(attemptId)).thenReturn(Optional.empty());
        when(dialer.safeHarbor(attemptId)).thenReturn(Optional.of(
                new DialledLeads.SafeHarbor("recording:dialer/safe-harbor-x", "9")));
        personArrives();
        assertThat(asterisk.drain()).containsExactly("answer " + PERSON, "play " + PERSON + " recording:dialer/safe-harbor-x");
        event(new AsteriskEvent.DtmfReceived(at(2), PERSON, '9'));
        verify(dialer).optedOut(attemptId, at(2));
        assertThat(asterisk.created).isEmpty();
    }

    @Test
    void a_dialler_that_does_not_answer_in_time_leaves_the_person_with_the_safe_harbor_not_silence() {
        when(dialer.claim(attemptId)).thenAnswer(invocation -> {
            Thread.sleep(DialledLeads.ANSWER_WITHIN.multipliedBy(3).toMillis());
            return Optional.of(handover());
        });
        personArrives();
        assertThat(saved().state()).isEqualTo(CallState.ANNOUNCING);
        assertThat(asterisk.created).as("no agent is rung for a claim that never came").isEmpty();
    }

    private void personArrives() {
        event(new AsteriskEvent.StasisStart(T0, new ChannelSnapshot(PERSON, "PJSIP/telnyx-00000009",
                ChannelState.UP, "+15557654321", "", "", "from-trunk", "attempt-" + attemptId, "Stasis",
                "callcenter,dialer," + attemptId, T0), List.of("dialer", attemptId.toString())));
        createdLegsEnterApp();
    }
}
