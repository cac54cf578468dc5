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

/** The queued caller's state machine: entry + event -> next entry, log rows, commands. */
class QueueMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final UUID QUEUE = UUID.randomUUID();
    private static final UUID CALL = UUID.randomUUID();
    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();
    private static final QueueSettings.Overflow OVERFLOW =
            new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail");

    private static Step joined() {
        return QueueMachine.join(CALL, QUEUE, "+15551230000", 0, 3, T0);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void a_caller_joins_waiting_is_logged_with_their_position_and_asks_for_an_agent() {
        Step step = joined();
        assertThat(step.entry().state()).isEqualTo(QueueEntryState.WAITING);
        assertThat(step.log()).singleElement().satisfies(row -> {
            assertThat(row.type()).isEqualTo(QueueLog.Type.JOINED);
            assertThat(row.position()).isEqualTo(3);
            assertThat(row.waited()).isEqualTo(Duration.ZERO);
        });
        assertThat(step.commands()).containsExactly(new Command.Dispatch());
    }

    @Test
    void a_caller_taken_over_after_an_app_restart_waits_at_the_place_of_their_original_join_without_a_new_join_row() {
        Step resumed = QueueMachine.resume(CALL, QUEUE, "+15551230000", 2, T0);
        assertThat(resumed.entry()).extracting(QueueEntry::state, QueueEntry::joinedAt, QueueEntry::priority)
                .containsExactly(QueueEntryState.WAITING, T0, 2);
        assertThat(resumed.log()).isEmpty();
        assertThat(resumed.commands()).containsExactly(new Command.Dispatch());
        QueueEntry later = QueueMachine.join(UUID.randomUUID(), QUEUE, "+15551230001", 2, 1, at(1)).entry();
        assertThat(resumed.entry().ahead(later)).as("ahead of anyone who joined after them").isTrue();
    }

    @Test
    void an_offer_rings_the_agent_and_an_answer_connects_with_the_wait_logged() {
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE)), at(12));
        assertThat(offered.entry().state()).isEqualTo(QueueEntryState.OFFERED);
        assertThat(offered.entry().offeredTo()).containsExactly(ALICE);
        assertThat(offered.commands()).containsExactly(new Command.RingAgent(ALICE));
        assertThat(offered.log()).extracting(QueueLog::type, QueueLog::agentId, QueueLog::waited)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(QueueLog.Type.OFFERED, ALICE, Duration.ofSeconds(12)));

        Step answered = QueueMachine.decide(offered.entry(), new Event.Answered(ALICE), at(17));
        assertThat(answered.entry().state()).isEqualTo(QueueEntryState.CONNECTED);
        assertThat(answered.log()).extracting(QueueLog::type, QueueLog::waited)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(QueueLog.Type.ANSWERED, Duration.ofSeconds(17)));
        assertThat(answered.commands()).isEmpty();
    }

    @Test
    void a_ring_out_puts_the_caller_back_with_their_place_and_remembers_the_agent() {
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE)), at(5));
        Step rangOut = QueueMachine.decide(offered.entry(), new Event.RangOut(ALICE, "no_answer"), at(20));
        assertThat(rangOut.entry().state()).isEqualTo(QueueEntryState.WAITING);
        assertThat(rangOut.entry().joinedAt()).isEqualTo(T0);
        assertThat(rangOut.entry().rangOut()).containsExactly(ALICE);
        assertThat(rangOut.entry().offeredTo()).isEmpty();
        assertThat(rangOut.log()).extracting(QueueLog::type, QueueLog::agentId, QueueLog::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(QueueLog.Type.RANG_OUT, ALICE, "no_answer"));
        assertThat(rangOut.commands()).containsExactly(new Command.Dispatch());
    }

    @Test
    void a_ring_out_of_an_agent_no_longer_offered_changes_nothing() {
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE)), at(5));
        Step late = QueueMachine.decide(offered.entry(), new Event.RangOut(BOB, "no_answer"), at(6));
        assertThat(late.ignored()).isTrue();
        assertThat(late.entry()).isEqualTo(offered.entry());
    }

    @Test
    void hanging_up_while_waiting_is_an_abandon_with_the_wait() {
        Step left = QueueMachine.decide(joined().entry(), new Event.CallerLeft(), at(42));
        assertThat(left.entry().state()).isEqualTo(QueueEntryState.ABANDONED);
        assertThat(left.log()).extracting(QueueLog::type, QueueLog::waited)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(QueueLog.Type.ABANDONED, Duration.ofSeconds(42)));
        assertThat(left.commands()).isEmpty();
    }

    @Test
    void hanging_up_while_an_agent_rings_cancels_the_offer() {
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE)), at(5));
        Step left = QueueMachine.decide(offered.entry(), new Event.CallerLeft(), at(9));
        assertThat(left.entry().state()).isEqualTo(QueueEntryState.ABANDONED);
        assertThat(left.commands()).containsExactly(new Command.CancelOffer(ALICE));
        assertThat(left.log().getFirst().detail()).isEqualTo("while offered");
    }

    @Test
    void max_wait_times_out_and_overflows_cancelling_a_ringing_offer() {
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE)), at(50));
        Step out = QueueMachine.decide(offered.entry(), new Event.MaxWaitReached(OVERFLOW), at(60));
        assertThat(out.entry().state()).isEqualTo(QueueEntryState.OVERFLOWED);
        assertThat(out.log()).extracting(QueueLog::type).containsExactly(QueueLog.Type.TIMED_OUT, QueueLog.Type.OVERFLOWED);
        assertThat(out.log()).allSatisfy(row -> assertThat(row.waited()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(out.log().get(1).detail()).isEqualTo("announcement sound:vm-nobodyavail");
        assertThat(out.commands()).containsExactly(new Command.CancelOffer(ALICE), new Command.Overflow(OVERFLOW));
    }

    @Test
    void events_after_the_caller_left_the_queue_are_ignored() {
        Step connected = QueueMachine.decide(
                QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE)), at(1)).entry(), new Event.Answered(ALICE), at(3));
        for (Event late : new Event[] {new Event.MaxWaitReached(OVERFLOW), new Event.AnnounceDue(1), new Event.CallerLeft(),
                new Event.RangOut(ALICE, "no_answer")}) {
            Step step = QueueMachine.decide(connected.entry(), late, at(99));
            assertThat(step.ignored()).as(late.toString()).isTrue();
            assertThat(step.entry().state()).isEqualTo(QueueEntryState.CONNECTED);
        }
    }

    @Test
    void an_offer_that_comes_too_late_gives_the_agent_back() {
        Step left = QueueMachine.decide(joined().entry(), new Event.CallerLeft(), at(2));
        Step offer = QueueMachine.decide(left.entry(), new Event.Offer(List.of(ALICE)), at(2));
        assertThat(offer.entry().state()).isEqualTo(QueueEntryState.ABANDONED);
        assertThat(offer.commands()).containsExactly(new Command.ReleaseAgent(ALICE), new Command.Dispatch());
        assertThat(offer.log()).isEmpty();
    }

    @Test
    void the_announcement_tells_the_position_while_waiting_or_offered() {
        Step step = QueueMachine.decide(joined().entry(), new Event.AnnounceDue(2), at(30));
        assertThat(step.entry()).isEqualTo(joined().entry());
        assertThat(step.commands()).containsExactly(new Command.AnnouncePosition(2));
        assertThat(step.log()).extracting(QueueLog::type, QueueLog::position)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(QueueLog.Type.ANNOUNCED, 2));
    }

    @Test
    void priority_then_wait_decides_who_is_ahead() {
        QueueEntry early = QueueEntry.joined(UUID.randomUUID(), QUEUE, "a", 0, T0);
        QueueEntry late = QueueEntry.joined(UUID.randomUUID(), QUEUE, "b", 0, at(5));
        QueueEntry lateButPriority = QueueEntry.joined(UUID.randomUUID(), QUEUE, "c", 1, at(9));
        assertThat(early.ahead(late)).isTrue();
        assertThat(late.ahead(early)).isFalse();
        assertThat(lateButPriority.ahead(early)).isTrue();
    }

    @Test
    void ring_all_rings_every_agent_keeps_ringing_while_one_is_left_and_the_first_answer_stops_the_others() {
        UUID carol = UUID.randomUUID();
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE, BOB, carol)), at(5));
        assertThat(offered.commands()).containsExactly(new Command.RingAgent(ALICE), new Command.RingAgent(BOB),
                new Command.RingAgent(carol));
        assertThat(offered.log()).extracting(QueueLog::type).containsOnly(QueueLog.Type.OFFERED).hasSize(3);

        Step oneOut = QueueMachine.decide(offered.entry(), new Event.RangOut(ALICE, "busy"), at(6));
        assertThat(oneOut.entry().state()).as("two phones still ring").isEqualTo(QueueEntryState.OFFERED);
        assertThat(oneOut.entry().offeredTo()).containsExactlyInAnyOrder(BOB, carol);
        assertThat(oneOut.commands()).isEmpty();

        Step answered = QueueMachine.decide(oneOut.entry(), new Event.Answered(carol), at(8));
        assertThat(answered.entry().state()).isEqualTo(QueueEntryState.CONNECTED);
        assertThat(answered.commands()).containsExactly(new Command.CancelOffer(BOB));
        assertThat(answered.log()).singleElement().extracting(QueueLog::type, QueueLog::agentId)
                .containsExactly(QueueLog.Type.ANSWERED, carol);
    }

    @Test
    void ring_all_waits_again_only_when_every_phone_rang_out() {
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(ALICE, BOB)), at(5));
        Step first = QueueMachine.decide(offered.entry(), new Event.RangOut(BOB, "no_answer"), at(20));
        Step second = QueueMachine.decide(first.entry(), new Event.RangOut(ALICE, "no_answer"), at(20));
        assertThat(second.entry().state()).isEqualTo(QueueEntryState.WAITING);
        assertThat(second.entry().rangOut()).containsExactlyInAnyOrder(ALICE, BOB);
        assertThat(second.commands()).containsExactly(new Command.Dispatch());
    }

    @Test
    void a_caller_leaving_while_several_phones_ring_stops_them_all() {
        Step offered = QueueMachine.decide(joined().entry(), new Event.Offer(List.of(BOB, ALICE)), at(5));
        Step left = QueueMachine.decide(offered.entry(), new Event.CallerLeft(), at(7));
        assertThat(left.commands()).containsExactlyInAnyOrder(new Command.CancelOffer(ALICE), new Command.CancelOffer(BOB));
        assertThat(left.log().getFirst().agentId()).as("no single agent to blame").isNull();
    }
}
