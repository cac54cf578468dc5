package io.callcenter.call.queue;

import io.callcenter.call.queue.QueueMachine.Command;
import io.callcenter.call.queue.QueueMachine.Event;
import io.callcenter.call.queue.QueueMachine.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** Press-1 callback in the queued caller's state machine: the callback keeps the place, agent first, then caller. */
class QueueCallbackMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final UUID QUEUE = UUID.randomUUID();
    private static final UUID CALL = UUID.randomUUID();
    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();
    private static final String NUMBER = "+12125550123";

    private static QueueEntry waiting(String number) {
        return QueueMachine.join(CALL, QUEUE, number, 0, 1, T0).entry();
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static QueueEntry callbackWaiting() {
        return QueueMachine.decide(waiting(NUMBER), new Event.CallbackConfirmed(), at(30)).entry();
    }

    private static QueueEntry callbackOffered() {
        return QueueMachine.decide(callbackWaiting(), new Event.Offer(List.of(ALICE)), at(90)).entry();
    }

    @Test
    void pressing_1_reads_the_number_back_and_changes_nothing_yet() {
        Step step = QueueMachine.decide(waiting(NUMBER), new Event.CallbackAsked(true), at(10));
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.WAITING);
        assertThat(step.log()).isEmpty();
        assertThat(step.commands()).containsExactly(new Command.ReadBackNumber(NUMBER));
    }

    @Test
    void pressing_1_in_a_queue_without_callbacks_is_ignored() {
        assertThat(QueueMachine.decide(waiting(NUMBER), new Event.CallbackAsked(false), at(10)).ignored()).isTrue();
    }

    @Test
    void a_caller_id_that_is_not_e164_is_refused_politely_and_the_caller_waits_on() {
        for (String number : new String[] {"anonymous", "1001", "", "+0123456789"}) {
            Step asked = QueueMachine.decide(waiting(number), new Event.CallbackAsked(true), at(10));
            assertThat(asked.commands()).as(number).containsExactly(new Command.RefuseCallback());
            assertThat(asked.entry().state()).isEqualTo(QueueEntryState.WAITING);
            assertThat(QueueMachine.decide(waiting(number), new Event.CallbackConfirmed(), at(11)).ignored()).isTrue();
        }
    }

    @Test
    void confirming_keeps_the_place_logs_the_request_and_releases_the_caller() {
        Step step = QueueMachine.decide(waiting(NUMBER), new Event.CallbackConfirmed(), at(30));
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.CALLBACK_WAITING);
        assertThat(step.entry().joinedAt()).isEqualTo(T0);
        assertThat(step.entry().state().holdsPlace()).isTrue();
        assertThat(step.entry().state().inQueue()).isFalse();
        assertThat(step.log()).extracting(QueueLog::type, QueueLog::waited, QueueLog::detail)
                .containsExactly(tuple(QueueLog.Type.CALLBACK_REQUESTED, Duration.ofSeconds(30), NUMBER));
        assertThat(step.commands()).containsExactly(new Command.ReleaseCaller(), new Command.Dispatch());
    }

    @Test
    void confirming_while_an_agent_rings_for_the_caller_stops_that_ring() {
        QueueEntry offered = QueueMachine.decide(waiting(NUMBER), new Event.Offer(List.of(ALICE)), at(5)).entry();
        Step step = QueueMachine.decide(offered, new Event.CallbackConfirmed(), at(8));
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.CALLBACK_WAITING);
        assertThat(step.entry().offeredTo()).isEmpty();
        assertThat(step.commands()).containsExactly(new Command.CancelOffer(ALICE), new Command.ReleaseCaller(),
                new Command.Dispatch());
    }

    @Test
    void the_callbacks_turn_rings_one_agent_first_and_frees_the_others_of_a_ring_all() {
        Step step = QueueMachine.decide(callbackWaiting(), new Event.Offer(List.of(ALICE, BOB)), at(90));
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.CALLBACK_OFFERED);
        assertThat(step.entry().offeredTo()).containsExactly(ALICE);
        assertThat(step.commands()).containsExactly(new Command.RingAgentForCallback(ALICE), new Command.ReleaseAgent(BOB));
        assertThat(step.log()).extracting(QueueLog::type, QueueLog::agentId, QueueLog::waited, QueueLog::detail)
                .containsExactly(tuple(QueueLog.Type.OFFERED, ALICE, Duration.ofSeconds(90), "callback"));
    }

    @Test
    void an_agent_who_does_not_answer_the_callback_puts_it_back_in_its_place() {
        Step step = QueueMachine.decide(callbackOffered(), new Event.RangOut(ALICE, "no_answer"), at(105));
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.CALLBACK_WAITING);
        assertThat(step.entry().joinedAt()).isEqualTo(T0);
        assertThat(step.entry().rangOut()).containsExactly(ALICE);
        assertThat(step.commands()).containsExactly(new Command.ReleaseAgent(ALICE), new Command.Dispatch());
    }

    @Test
    void the_agent_answers_then_the_caller_is_dialled_and_answers() {
        Step placed = QueueMachine.decide(callbackOffered(), new Event.AgentPickedUp(ALICE, null), at(95));
        assertThat(placed.entry().state()).isEqualTo(QueueEntryState.CALLBACK_DIALLING);
        assertThat(placed.entry().state().holdsPlace()).as("kept on the board until the caller answers").isTrue();
        assertThat(placed.commands()).containsExactly(new Command.DialCaller(NUMBER));
        assertThat(placed.log()).extracting(QueueLog::type, QueueLog::agentId)
                .containsExactly(tuple(QueueLog.Type.CALLBACK_PLACED, ALICE));

        Step answered = QueueMachine.decide(placed.entry(), new Event.CallerAnswered(), at(100));
        assertThat(answered.entry().state()).isEqualTo(QueueEntryState.CALLBACK_ANSWERED);
        assertThat(answered.entry().state().holdsPlace()).isFalse();
        assertThat(answered.log()).extracting(QueueLog::type, QueueLog::agentId, QueueLog::waited)
                .containsExactly(tuple(QueueLog.Type.CALLBACK_ANSWERED, ALICE, Duration.ofSeconds(100)));
    }

    @Test
    void a_callback_the_guard_refuses_is_logged_with_the_reason_and_never_dialled() {
        Step step = QueueMachine.decide(callbackOffered(), new Event.AgentPickedUp(ALICE, "do_not_call"), at(95));
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.CALLBACK_FAILED);
        assertThat(step.commands()).containsExactly(new Command.EndCallback(ALICE, "do_not_call"));
        assertThat(step.log()).extracting(QueueLog::type, QueueLog::agentId, QueueLog::detail)
                .containsExactly(tuple(QueueLog.Type.CALLBACK_FAILED, ALICE, "do_not_call"));
    }

    @Test
    void a_caller_who_does_not_answer_the_callback_fails_it_and_frees_the_agent() {
        QueueEntry dialling = QueueMachine.decide(callbackOffered(), new Event.AgentPickedUp(ALICE, null), at(95)).entry();
        Step step = QueueMachine.decide(dialling, new Event.CallerNotReached("no_answer"), at(125));
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.CALLBACK_FAILED);
        assertThat(step.commands()).containsExactly(new Command.EndCallback(ALICE, "no_answer"));
        assertThat(step.log()).extracting(QueueLog::type, QueueLog::detail)
                .containsExactly(tuple(QueueLog.Type.CALLBACK_FAILED, "no_answer"));
    }

    @Test
    void a_callback_waits_for_no_timer_and_hears_no_announcement() {
        QueueEntry entry = callbackWaiting();
        assertThat(QueueMachine.decide(entry, new Event.MaxWaitReached(new QueueSettings.Overflow(
                QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail")), at(600)).ignored()).isTrue();
        assertThat(QueueMachine.decide(entry, new Event.AnnounceDue(1), at(60)).ignored()).isTrue();
        assertThat(QueueMachine.decide(entry, new Event.CallerLeft(), at(31)).ignored()).isTrue();
        assertThat(QueueMachine.decide(entry, new Event.AgentPickedUp(ALICE, null), at(40)).ignored()).isTrue();
    }

    @Test
    void callback_transitions_outside_the_diagram_are_illegal() {
        assertThat(QueueEntryState.CALLBACK_WAITING.canBecome(QueueEntryState.CONNECTED)).isFalse();
        assertThat(QueueEntryState.CALLBACK_FAILED.canBecome(QueueEntryState.CALLBACK_WAITING)).isFalse();
        assertThat(QueueEntryState.CALLBACK_ANSWERED.canBecome(QueueEntryState.CALLBACK_FAILED)).isFalse();
        assertThat(QueueEntryState.WAITING.canBecome(QueueEntryState.CALLBACK_DIALLING)).isFalse();
        QueueEntry callback = callbackWaiting();
        QueueEntry forged = new QueueEntry(callback.callId(), callback.queueId(), NUMBER, 0, T0,
                QueueEntryState.CALLBACK_FAILED, java.util.Set.of(), java.util.Set.of());
        // An offer that reaches a callback already over gives the agent back.
        Step late = QueueMachine.decide(forged, new Event.Offer(List.of(ALICE)), at(1));
        assertThat(late.entry()).isEqualTo(forged);
        assertThat(late.commands()).containsExactly(new Command.ReleaseAgent(ALICE), new Command.Dispatch());
    }
}
