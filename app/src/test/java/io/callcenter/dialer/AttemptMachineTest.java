package io.callcenter.dialer;

import io.callcenter.dialer.AttemptMachine.Command;
import io.callcenter.dialer.telnyx.TelnyxEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-25T15:00:00Z");
    private final AttemptMachine machine = new AttemptMachine(Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC));
    private final Campaign hangupOnMachines = campaign(Campaign.VoicemailPolicy.HANGUP);
    private final Campaign leaveMessage = campaign(Campaign.VoicemailPolicy.LEAVE_MESSAGE);
    private Attempt attempt = Attempt.dialling(UUID.randomUUID(), hangupOnMachines.id(), UUID.randomUUID(), "+12125551234", T0);
    private int events;

    private static Campaign campaign(Campaign.VoicemailPolicy policy) {
        return campaign(policy, Campaign.Compliance.DEFAULT);
    }

    private static Campaign campaign(Campaign.VoicemailPolicy policy, Campaign.Compliance compliance) {
        return new Campaign(UUID.randomUUID(), "c", UUID.randomUUID(), "+15550100", DialMode.BALANCED, 1.5, 0.03,
                CallingHours.DEFAULT, RetryRules.DEFAULT, policy, "Hello from Psychology, call 555 0100", "premium",
                "Sorry we missed you: Psychology, 555 0100", true, "on", false, "agents", T0, compliance);
    }

    private TelnyxEvent event(String type, int second, String result, String cause) {
        return new TelnyxEvent("e" + (++events), type, T0.plusSeconds(second), "ccid-1", attempt.id(), result, cause, "callee");
    }

    private AttemptMachine.Step apply(Campaign campaign, TelnyxEvent event) {
        AttemptMachine.Step step = machine.on(attempt, campaign, event);
        attempt = step.attempt();
        return step;
    }

    @Test
    void a_human_is_handed_to_an_agent_with_a_two_second_deadline_then_transferred() {
        apply(hangupOnMachines, event("call.initiated", 1, null, null));
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        AttemptMachine.Step human = apply(hangupOnMachines, event("call.machine.premium.detection.ended", 10, "human_residence", null));

        assertThat(attempt.state()).isEqualTo(AttemptState.HUMAN);
        assertThat(attempt.humanAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(human.commands()).containsExactly(new Command.FindAgent(T0.plusSeconds(12)));

        UUID agent = UUID.randomUUID();
        AttemptMachine.Step reserved = machine.agentReserved(attempt, agent);
        attempt = reserved.attempt();
        assertThat(attempt.state()).isEqualTo(AttemptState.TRANSFERRING);
        assertThat(reserved.commands()).containsExactly(new Command.Transfer(agent));

        attempt = machine.connected(attempt, UUID.randomUUID(), T0.plusSeconds(11)).attempt();
        AttemptMachine.Step end = apply(hangupOnMachines, event("call.hangup", 200, null, "normal_clearing"));
        assertThat(attempt.state()).isEqualTo(AttemptState.ENDED);
        assertThat(attempt.outcome()).isEqualTo(Outcome.ANSWERED);
        assertThat(end.commands()).as("the engine ends the agent's part, not the dialer")
                .containsExactly(new Command.Finish(Outcome.ANSWERED));
    }

    @Test
    void no_agent_in_time_abandons_with_the_safe_harbor_message_and_frees_nothing_it_did_not_hold() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.detection.ended", 10, "human", null));
        AttemptMachine.Step abandon = machine.noAgentInTime(attempt, hangupOnMachines);
        attempt = abandon.attempt();
        assertThat(attempt.state()).isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(attempt.outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(abandon.transitions().getFirst().detail()).contains("Sorry we missed you");
        assertThat(abandon.commands()).singleElement().isInstanceOfSatisfying(Command.LeaveMessage.class,
                message -> assertThat(message.text()).contains("Sorry we missed you"));

        AttemptMachine.Step spoken = apply(hangupOnMachines, event("call.speak.ended", 12, null, null));
        assertThat(attempt.state()).isEqualTo(AttemptState.HANGING_UP);
        assertThat(spoken.commands()).singleElement().isInstanceOf(Command.Hangup.class);

        apply(hangupOnMachines, event("call.hangup", 13, null, "normal_clearing"));
        assertThat(attempt.outcome()).as("our decision stands").isEqualTo(Outcome.ABANDONED);
    }

    @Test
    void the_agent_deadline_runs_from_the_end_of_the_greeting_the_configured_silence_before_the_verdict() {
        attempt = attempt.change(d -> d.tsr = new Attempt.Tsr(800, null, false));
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        AttemptMachine.Step human = apply(hangupOnMachines, event("call.machine.detection.ended", 10, "human", null));
        assertThat(attempt.tsr().greetingEndedAt()).isEqualTo(T0.plusMillis(9_200));
        assertThat(human.commands()).containsExactly(new Command.FindAgent(T0.plusMillis(11_200)));
    }

    @Test
    void machine_results_go_to_agents_when_assumed_detection_errors_would_use_up_half_the_target() {
        Campaign errorProne = campaign(Campaign.VoicemailPolicy.HANGUP, new Campaign.Compliance(null, 0.05, null));
        apply(errorProne, event("call.answered", 8, null, null));
        AttemptMachine.Step step = apply(errorProne, event("call.machine.premium.detection.ended", 11, "machine", null));
        assertThat(attempt.state()).isEqualTo(AttemptState.HUMAN);
        assertThat(step.commands()).singleElement().isInstanceOf(Command.FindAgent.class);
    }

    @Test
    void a_machine_shown_to_be_a_person_is_recorded_as_a_detection_error_once() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.premium.detection.ended", 11, "machine", null));
        apply(hangupOnMachines, event("call.hangup", 12, null, "normal_clearing"));
        AttemptMachine.Step marked = AbandonRule.detectionError(attempt, "agent: it was a person", T0.plusSeconds(60));
        attempt = marked.attempt();
        assertThat(attempt.tsr().detectionError()).isTrue();
        assertThat(marked.transitions()).singleElement().satisfies(t -> assertThat(t.event()).isEqualTo("detection error"));
        assertThat(AbandonRule.of(attempt).abandoned()).isTrue();
        assertThat(AbandonRule.detectionError(attempt, "again", T0.plusSeconds(61)).transitions().getFirst().detail())
                .startsWith("ignored");
    }

    @Test
    void the_opt_out_key_during_the_safe_harbor_message_opts_out_and_a_key_during_a_machines_message_is_a_detection_error() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.detection.ended", 10, "human", null));
        attempt = machine.noAgentInTime(attempt, hangupOnMachines).attempt();
        assertThat(apply(hangupOnMachines, event("call.dtmf.received", 13, "5", null)).commands()).as("not the key").isEmpty();
        AttemptMachine.Step key = apply(hangupOnMachines, event("call.dtmf.received", 14, "9", null));
        assertThat(key.commands()).containsExactly(new Command.OptOut("9"));
        assertThat(attempt.state()).as("the message plays on").isEqualTo(AttemptState.SAFE_HARBOR);

        attempt = Attempt.dialling(UUID.randomUUID(), leaveMessage.id(), UUID.randomUUID(), "+12125551234", T0);
        apply(leaveMessage, event("call.answered", 8, null, null));
        apply(leaveMessage, event("call.machine.premium.detection.ended", 11, "machine", null));
        apply(leaveMessage, event("call.dtmf.received", 12, "1", null));
        assertThat(attempt.tsr().detectionError()).isTrue();
        assertThat(AbandonRule.of(attempt).live()).isTrue();
    }

    @Test
    void a_safe_harbor_message_not_heard_is_read_again_as_the_checked_fallback() {
        Campaign named = campaign(Campaign.VoicemailPolicy.HANGUP, new Campaign.Compliance(null, 0.01, null,
                new Campaign.SafeHarbor("Psychology", "+15550100", "9", null)));
        apply(named, event("call.answered", 8, null, null));
        apply(named, event("call.machine.detection.ended", 10, "human", null));
        attempt = machine.noAgentInTime(attempt, named).attempt();
        AttemptMachine.Step again = apply(named, event("call.speak.ended", 14, "cancelled_amd", null));
        assertThat(again.commands()).singleElement().isInstanceOfSatisfying(Command.LeaveMessage.class, m -> {
            assertThat(m.take()).isEqualTo(2);
            assertThat(SafeHarborMessage.problems(m.text(), "Psychology", "+15550100", "9")).isEmpty();
        });
    }

    @Test
    void not_sure_counts_as_a_person() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.premium.detection.ended", 10, "not_sure", null));
        assertThat(attempt.state()).isEqualTo(AttemptState.HUMAN);
    }

    @Test
    void a_machine_is_hung_up_on_and_tagged_voicemail() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        AttemptMachine.Step step = apply(hangupOnMachines, event("call.machine.premium.detection.ended", 11, "machine", null));
        assertThat(attempt.state()).isEqualTo(AttemptState.HANGING_UP);
        assertThat(step.commands()).singleElement().isInstanceOf(Command.Hangup.class);
        apply(hangupOnMachines, event("call.hangup", 12, null, "normal_clearing"));
        assertThat(attempt.outcome()).isEqualTo(Outcome.VOICEMAIL);
    }

    @Test
    void with_a_message_policy_the_message_follows_the_beep() {
        apply(leaveMessage, event("call.answered", 8, null, null));
        apply(leaveMessage, event("call.machine.premium.detection.ended", 11, "machine", null));
        assertThat(attempt.state()).isEqualTo(AttemptState.MACHINE);
        AttemptMachine.Step beep = apply(leaveMessage, event("call.machine.premium.greeting.ended", 20, "beep_detected", null));
        assertThat(attempt.state()).isEqualTo(AttemptState.LEAVING_MESSAGE);
        assertThat(beep.commands()).containsExactly(new Command.LeaveMessage("Hello from Psychology, call 555 0100"));
        AttemptMachine.Step spoken = apply(leaveMessage, event("call.speak.ended", 30, null, null));
        assertThat(spoken.commands()).singleElement().isInstanceOf(Command.Hangup.class);
        apply(leaveMessage, event("call.hangup", 31, null, "normal_clearing"));
        assertThat(attempt.outcome()).isEqualTo(Outcome.VOICEMAIL);
        assertThat(attempt.detail()).isEqualTo("message left");
    }

    @Test
    void silence_and_fax_have_their_own_outcomes() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.premium.detection.ended", 11, "silence", null));
        assertThat(attempt.outcome()).isEqualTo(Outcome.NO_ANSWER);

        attempt = Attempt.dialling(UUID.randomUUID(), hangupOnMachines.id(), UUID.randomUUID(), "+12125551234", T0);
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.premium.detection.ended", 11, "fax_detected", null));
        assertThat(attempt.outcome()).isEqualTo(Outcome.WRONG_NUMBER);
    }

    @Test
    void unanswered_calls_end_by_their_hangup_cause() {
        record Case(String cause, Outcome outcome) {
        }
        for (Case c : new Case[]{new Case("user_busy", Outcome.BUSY), new Case("timeout", Outcome.NO_ANSWER),
                new Case("no_answer", Outcome.NO_ANSWER), new Case("not_found", Outcome.DISCONNECTED),
                new Case("call_rejected", Outcome.BUSY), new Case("unspecified", Outcome.NO_ANSWER)}) {
            attempt = Attempt.dialling(UUID.randomUUID(), hangupOnMachines.id(), UUID.randomUUID(), "+12125551234", T0);
            apply(hangupOnMachines, event("call.initiated", 1, null, null));
            AttemptMachine.Step end = apply(hangupOnMachines, event("call.hangup", 26, null, c.cause()));
            assertThat(attempt.outcome()).as(c.cause()).isEqualTo(c.outcome());
            assertThat(end.commands()).containsExactly(new Command.Finish(c.outcome()));
        }
    }

    @Test
    void duplicates_and_late_events_are_ignored_and_logged_not_applied_twice() {
        TelnyxEvent answered = event("call.answered", 8, null, null);
        apply(hangupOnMachines, answered);
        AttemptMachine.Step again = apply(hangupOnMachines, answered);
        assertThat(again.commands()).isEmpty();
        assertThat(again.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(t.to());
            assertThat(t.detail()).startsWith("ignored");
        });
        apply(hangupOnMachines, event("call.machine.detection.ended", 10, "human", null));
        AttemptMachine.Step second = apply(hangupOnMachines, event("call.machine.detection.ended", 10, "machine", null));
        assertThat(attempt.state()).isEqualTo(AttemptState.HUMAN);
        assertThat(second.commands()).isEmpty();
        apply(hangupOnMachines, event("call.hangup", 11, null, "normal_clearing"));
        AttemptMachine.Step afterEnd = apply(hangupOnMachines, event("call.initiated", 1, null, null));
        assertThat(afterEnd.commands()).isEmpty();
        assertThat(attempt.state()).isEqualTo(AttemptState.ENDED);
    }

    @Test
    void a_detection_result_before_the_answer_implies_the_answer() {
        AttemptMachine.Step step = apply(hangupOnMachines, event("call.machine.premium.detection.ended", 10, "machine", null));
        assertThat(step.transitions()).extracting(AttemptMachine.Transition::to)
                .containsExactly(AttemptState.ANSWERED, AttemptState.HANGING_UP);
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        assertThat(attempt.answeredAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(attempt.state()).isEqualTo(AttemptState.HANGING_UP);
    }

    @Test
    void a_failed_transfer_leg_abandons_the_person_and_releases_the_agent() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.detection.ended", 10, "human", null));
        UUID agent = UUID.randomUUID();
        attempt = machine.agentReserved(attempt, agent).attempt();
        TelnyxEvent otherLeg = new TelnyxEvent("leg2", "call.hangup", T0.plusSeconds(12), "ccid-2", attempt.id(), null,
                "not_found", "callee");
        AttemptMachine.Step step = apply(hangupOnMachines, otherLeg);
        assertThat(attempt.outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(step.commands()).contains(new Command.ReleaseAgent(agent));
        assertThat(attempt.state()).as("the person, still on the carrier's call, hears the safe-harbor message")
                .isEqualTo(AttemptState.SAFE_HARBOR);
    }

    @Test
    void moves_the_machine_does_not_allow_throw() {
        assertThat(AttemptState.ENDED.canBecome(AttemptState.RINGING)).isFalse();
        assertThatThrownBy(() -> machine.agentReserved(attempt, UUID.randomUUID()))
                .isInstanceOf(IllegalAttemptTransition.class).hasMessageContaining("DIALING -> TRANSFERRING");
        assertThatThrownBy(() -> machine.connected(attempt, UUID.randomUUID(), T0))
                .isInstanceOf(IllegalAttemptTransition.class);
    }

    @Test
    void retry_rules_decide_the_next_attempt() {
        RetryRules rules = RetryRules.DEFAULT;
        assertThat(rules.next(1, Outcome.BUSY, T0)).as("min gap of an hour beats 15 minutes").contains(T0.plusSeconds(3600));
        assertThat(rules.next(1, Outcome.ABANDONED, T0)).contains(T0.plusSeconds(72 * 3600));
        assertThat(rules.next(3, Outcome.NO_ANSWER, T0)).as("max attempts").isEmpty();
        assertThat(rules.next(1, Outcome.WRONG_NUMBER, T0)).isEmpty();
        assertThat(rules.next(1, Outcome.ANSWERED, T0)).isEmpty();
    }

    // ------------------------------------------------------------------ Telnyx as it really behaves

    private Attempt transferring() {
        apply(hangupOnMachines, event("call.answered", 8, null, null));
        apply(hangupOnMachines, event("call.machine.detection.ended", 10, "human", null));
        attempt = machine.agentReserved(attempt, UUID.randomUUID()).attempt();
        return attempt;
    }

    @Test
    void a_transfer_not_claimed_in_time_abandons_the_person_to_the_safe_harbor_message_and_frees_the_agent() {
        transferring();
        AttemptTimeouts timeouts = AttemptTimeouts.DEFAULT;
        Instant due = T0.plusSeconds(10).plus(timeouts.transfer());
        assertThat(machine.overdue(attempt, hangupOnMachines, due.minusMillis(1))).isEmpty();
        AttemptMachine.Step stalled = machine.overdue(attempt, hangupOnMachines, due).orElseThrow();
        assertThat(stalled.attempt().state()).isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(stalled.attempt().outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(stalled.commands()).containsExactly(new Command.ReleaseAgent(attempt.agentId()),
                new Command.LeaveMessage("Sorry we missed you: Psychology, 555 0100"));
    }

    @Test
    void once_claimed_the_call_module_decides_and_the_transfer_watchdog_and_the_new_legs_hangup_do_not() {
        transferring();
        attempt = machine.claimed(attempt, T0.plusSeconds(11)).attempt();
        assertThat(attempt.claimedAt()).isEqualTo(T0.plusSeconds(11));
        assertThat(machine.overdue(attempt, hangupOnMachines, T0.plusSeconds(600))).isEmpty();
        TelnyxEvent newLeg = new TelnyxEvent("leg2", "call.hangup", T0.plusSeconds(12), "ccid-2", attempt.id(), null,
                "normal_clearing", "caller");
        AttemptMachine.Step step = apply(hangupOnMachines, newLeg);
        assertThat(attempt.state()).isEqualTo(AttemptState.TRANSFERRING);
        assertThat(step.commands()).isEmpty();
    }

    @Test
    void a_machine_whose_greeting_end_never_comes_gets_the_message_after_the_greeting_timeout() {
        apply(leaveMessage, event("call.answered", 8, null, null));
        apply(leaveMessage, event("call.machine.premium.detection.ended", 11, "machine", null));
        Instant due = T0.plusSeconds(8).plus(AttemptTimeouts.DEFAULT.greeting());
        assertThat(machine.overdue(attempt, leaveMessage, due.minusSeconds(1))).isEmpty();
        AttemptMachine.Step step = machine.overdue(attempt, leaveMessage, due).orElseThrow();
        assertThat(step.attempt().state()).isEqualTo(AttemptState.LEAVING_MESSAGE);
        assertThat(step.commands()).containsExactly(new Command.LeaveMessage("Hello from Psychology, call 555 0100"));
    }

    @Test
    void a_safe_harbor_message_whose_end_is_never_reported_is_hung_up_after_the_message_timeout() {
        transferring();
        Instant stalledAt = T0.plusSeconds(10).plus(AttemptTimeouts.DEFAULT.transfer());
        attempt = machine.overdue(attempt, hangupOnMachines, stalledAt).orElseThrow().attempt();
        assertThat(attempt.state()).isEqualTo(AttemptState.SAFE_HARBOR);
        Instant due = attempt.humanAt().plus(AttemptTimeouts.DEFAULT.message());
        assertThat(machine.overdue(attempt, hangupOnMachines, due.minusSeconds(1))).isEmpty();
        AttemptMachine.Step step = machine.overdue(attempt, hangupOnMachines, due).orElseThrow();
        assertThat(step.attempt().state()).isEqualTo(AttemptState.HANGING_UP);
        assertThat(step.attempt().outcome()).as("still abandoned").isEqualTo(Outcome.ABANDONED);
        assertThat(step.commands()).containsExactly(new Command.Hangup("message overdue"));
    }

    @Test
    void a_carrier_that_never_reports_on_a_dial_ends_it_unanswered_and_hangs_it_up_so_a_late_answer_gets_no_dead_air() {
        Instant due = T0.plus(AttemptTimeouts.DEFAULT.silentCarrier());
        assertThat(machine.overdue(attempt, hangupOnMachines, due.minusSeconds(1))).isEmpty();
        AttemptMachine.Step step = machine.overdue(attempt, hangupOnMachines, due).orElseThrow();
        assertThat(step.attempt().state()).isEqualTo(AttemptState.ENDED);
        assertThat(step.commands()).containsExactly(new Command.Finish(Outcome.NO_ANSWER), new Command.Hangup("carrier silent"));
    }

    @Test
    void a_safe_harbor_message_cut_short_is_read_once_more_and_a_second_failure_hangs_up_as_safe_harbor_failed() {
        transferring();
        attempt = machine.transferFailed(attempt, hangupOnMachines, "busy").attempt();
        AttemptMachine.Step again = apply(hangupOnMachines, event("call.speak.ended", 14, "cancelled_amd", null));
        assertThat(attempt.state()).isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(again.commands()).containsExactly(new Command.LeaveMessage("Sorry we missed you: Psychology, 555 0100", 2));
        AttemptMachine.Step failed = machine.messageRefused(attempt, hangupOnMachines, "422");
        attempt = failed.attempt();
        assertThat(attempt.state()).isEqualTo(AttemptState.HANGING_UP);
        assertThat(attempt.detail()).startsWith(AttemptMachine.SAFE_HARBOR_FAILED);
        assertThat(attempt.outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(failed.commands()).containsExactly(new Command.Hangup(AttemptMachine.SAFE_HARBOR_FAILED));
    }

    @Test
    void only_a_completed_message_counts_as_heard_and_a_hangup_during_it_waits_for_the_hangup() {
        apply(leaveMessage, event("call.answered", 8, null, null));
        apply(leaveMessage, event("call.machine.premium.detection.ended", 11, "machine", null));
        apply(leaveMessage, event("call.machine.premium.greeting.ended", 20, "beep_detected", null));
        AttemptMachine.Step hungUp = apply(leaveMessage, event("call.speak.ended", 25, "call_hangup", null));
        assertThat(hungUp.commands()).isEmpty();
        assertThat(attempt.state()).isEqualTo(AttemptState.LEAVING_MESSAGE);
        apply(leaveMessage, event("call.hangup", 26, null, "normal_clearing"));
        assertThat(attempt.outcome()).isEqualTo(Outcome.VOICEMAIL);
        assertThat(attempt.detail()).isEqualTo("hung up during the message");

        attempt = Attempt.dialling(UUID.randomUUID(), leaveMessage.id(), UUID.randomUUID(), "+12125551234", T0);
        apply(leaveMessage, event("call.answered", 8, null, null));
        apply(leaveMessage, event("call.machine.premium.detection.ended", 11, "machine", null));
        apply(leaveMessage, event("call.machine.premium.greeting.ended", 20, "beep_detected", null));
        AttemptMachine.Step cut = apply(leaveMessage, event("call.speak.ended", 25, "cancelled_amd", null));
        assertThat(attempt.state()).as("a voicemail message is not repeated").isEqualTo(AttemptState.HANGING_UP);
        assertThat(cut.commands()).singleElement().isInstanceOf(Command.Hangup.class);
    }

    @Test
    void after_a_restart_an_unconfirmed_transfer_of_a_live_call_plays_the_safe_harbor_message_and_a_gone_call_ends() {
        transferring();
        AttemptMachine.Step live = machine.unconfirmedTransfer(attempt, hangupOnMachines, java.util.Optional.of(true));
        assertThat(live.attempt().state()).isEqualTo(AttemptState.SAFE_HARBOR);
        assertThat(live.commands()).noneMatch(c -> c instanceof Command.Transfer);
        AttemptMachine.Step unknown = machine.unconfirmedTransfer(attempt, hangupOnMachines, java.util.Optional.empty());
        assertThat(unknown.attempt().state()).as("unknown: assume the person waits").isEqualTo(AttemptState.SAFE_HARBOR);
        AttemptMachine.Step gone = machine.unconfirmedTransfer(attempt, hangupOnMachines, java.util.Optional.of(false));
        assertThat(gone.attempt().state()).isEqualTo(AttemptState.ENDED);
        assertThat(gone.attempt().outcome()).isEqualTo(Outcome.ABANDONED);
        assertThat(gone.commands()).contains(new Command.ReleaseAgent(attempt.agentId()));
    }

    // ------------------------------------------------------------------ preview

    private final UUID agent = UUID.randomUUID();
    private final Attempt offered = Attempt.previewing(UUID.randomUUID(), hangupOnMachines.id(), UUID.randomUUID(),
            "+12125551234", agent, T0);

    @Test
    void a_preview_dialled_placed_and_disposed_ends_with_the_agents_word_and_leaves_the_agent_to_the_call() {
        AttemptMachine.Step dialled = machine.previewDialled(offered, T0.plusSeconds(5));
        assertThat(dialled.attempt().state()).isEqualTo(AttemptState.PLACED);
        assertThat(dialled.commands()).as("the agent's page places the call").isEmpty();
        UUID call = offered.id();
        AttemptMachine.Step placed = machine.previewCallPlaced(dialled.attempt(), call, T0.plusSeconds(6));
        assertThat(placed.attempt().callId()).isEqualTo(call);
        AttemptMachine.Step disposed = machine.previewDisposed(placed.attempt(), Outcome.INTERESTED, T0.plusSeconds(90));
        assertThat(disposed.attempt().state()).isEqualTo(AttemptState.ENDED);
        assertThat(disposed.attempt().outcome()).isEqualTo(Outcome.INTERESTED);
        assertThat(disposed.commands()).as("her call frees her, not the dialer")
                .containsExactly(new Command.Finish(Outcome.INTERESTED));
        assertThat(disposed.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(AttemptState.PLACED);
            assertThat(t.to()).isEqualTo(AttemptState.ENDED);
        });
    }

    @Test
    void a_skipped_preview_frees_the_agent_and_returns_the_lead_instead_of_finishing_it() {
        AttemptMachine.Step skipped = machine.previewReturned(offered, "skipped", "wrong person", T0.plusSeconds(3));
        assertThat(skipped.attempt().state()).isEqualTo(AttemptState.ENDED);
        assertThat(skipped.attempt().outcome()).isNull();
        assertThat(skipped.attempt().detail()).isEqualTo("skipped: wrong person");
        assertThat(skipped.commands()).containsExactly(new Command.ReleaseAgent(agent),
                new Command.ReturnLead("skipped: wrong person"));
    }

    @Test
    void a_preview_lapses_after_its_timeout_and_a_placed_call_is_never_taken_back() {
        assertThat(machine.overdue(offered, hangupOnMachines, T0.plus(AttemptTimeouts.PREVIEW).minusMillis(1))).isEmpty();
        assertThat(machine.overdue(offered, hangupOnMachines, T0.plus(AttemptTimeouts.PREVIEW)))
                .hasValueSatisfying(step -> assertThat(step.transitions().getLast().event()).isEqualTo("preview timed out"));
        Attempt placed = machine.previewCallPlaced(machine.previewDialled(offered, T0).attempt(), offered.id(), T0).attempt();
        assertThat(machine.overdue(placed, hangupOnMachines, T0.plus(AttemptTimeouts.PREVIEW.multipliedBy(3)))).isEmpty();
    }

    @Test
    void preview_moves_out_of_order_are_refused() {
        assertThatThrownBy(() -> machine.previewCallPlaced(offered, offered.id(), T0))
                .isInstanceOf(IllegalAttemptTransition.class);
        assertThatThrownBy(() -> machine.previewDisposed(offered, Outcome.ANSWERED, T0))
                .isInstanceOf(IllegalAttemptTransition.class).hasMessageContaining("PREVIEWING -> ENDED");
        assertThatThrownBy(() -> machine.previewDialled(attempt, T0))
                .isInstanceOf(IllegalAttemptTransition.class).hasMessageContaining("DIALING -> PLACED");
    }
}
