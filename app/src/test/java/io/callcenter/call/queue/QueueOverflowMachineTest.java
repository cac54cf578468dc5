package io.callcenter.call.queue;

import io.callcenter.call.CallState;
import io.callcenter.call.queue.QueueMachine.Command;
import io.callcenter.call.queue.QueueMachine.Event;
import io.callcenter.call.queue.QueueMachine.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decisions of a caller leaving one queue for another at max wait: their place, each queue's wait, stale timers. */
class QueueOverflowMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final UUID FIRST = UUID.randomUUID();
    private static final UUID SECOND = UUID.randomUUID();
    private static final UUID CALL = UUID.randomUUID();
    private static final UUID ALICE = UUID.randomUUID();
    private static final QueueSettings.Overflow INTO_SECOND =
            new QueueSettings.Overflow(QueueSettings.Overflow.Kind.QUEUE, SECOND.toString());

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Joined the first queue at T0, offered to Alice at 50 s, max wait at 60 s. */
    private static Step overflowed() {
        QueueEntry joined = QueueMachine.join(CALL, FIRST, "+15551230000", 0, 1, T0).entry();
        QueueEntry offered = QueueMachine.decide(joined, new Event.Offer(List.of(ALICE)), at(50)).entry();
        return QueueMachine.decide(offered, new Event.MaxWaitReached(INTO_SECOND, T0), at(60));
    }

    @Test
    void max_wait_into_another_queue_logs_the_first_queues_stay_stops_the_offer_and_asks_for_the_overflow() {
        Step out = overflowed();
        assertThat(out.entry().state()).isEqualTo(QueueEntryState.OVERFLOWED);
        assertThat(out.log()).extracting(row -> row.type() + " " + row.queueId().equals(FIRST) + " "
                + row.waited().toSeconds() + " " + row.detail())
                .containsExactly("TIMED_OUT true 60 null", "OVERFLOWED true 60 queue " + SECOND);
        assertThat(out.commands()).containsExactly(new Command.CancelOffer(ALICE), new Command.Overflow(INTO_SECOND));
    }

    @Test
    void joining_the_second_queue_keeps_the_first_joins_place_and_counts_the_second_queues_wait_from_the_overflow() {
        Step joined = QueueMachine.overflowJoin(overflowed().entry(), SECOND, 3, 2, at(60));

        QueueEntry entry = joined.entry();
        assertThat(entry).extracting(QueueEntry::queueId, QueueEntry::state, QueueEntry::joinedAt, QueueEntry::enteredAt,
                QueueEntry::priority).containsExactly(SECOND, QueueEntryState.WAITING, T0, at(60), 3);
        assertThat(entry.offeredTo()).isEmpty();
        assertThat(entry.waitAt(at(130))).as("the second queue's own wait").isEqualTo(Duration.ofSeconds(70));
        assertThat(entry.totalWaitAt(at(130))).as("what the agent's offer shows").isEqualTo(Duration.ofSeconds(130));
        assertThat(joined.log()).singleElement().satisfies(row -> {
            assertThat(row.type()).isEqualTo(QueueLog.Type.JOINED);
            assertThat(row.queueId()).isEqualTo(SECOND);
            assertThat(row.waited()).isEqualTo(Duration.ZERO);
            assertThat(row.position()).isEqualTo(2);
            assertThat(row.detail()).isEqualTo("overflow from queue " + FIRST);
        });
        assertThat(joined.commands()).containsExactly(new Command.Dispatch());

        // Someone who joined the second queue before the overflow but after the caller's first join is behind them.
        QueueEntry waitingThere = QueueMachine.join(UUID.randomUUID(), SECOND, "+15551230001", 3, 1, at(30)).entry();
        assertThat(entry.ahead(waitingThere)).isTrue();
    }

    @Test
    void the_first_queues_max_wait_and_announcements_change_nothing_in_the_second() {
        QueueEntry inSecond = QueueMachine.overflowJoin(overflowed().entry(), SECOND, 0, 1, at(60)).entry();

        assertThat(QueueMachine.decide(inSecond, new Event.MaxWaitReached(INTO_SECOND, T0), at(90)).ignored()).isTrue();
        assertThat(QueueMachine.decide(inSecond, new Event.AnnounceDue(1, T0), at(80)).ignored()).isTrue();

        Step ownMaxWait = QueueMachine.decide(inSecond, new Event.MaxWaitReached(QueueSettings.Overflow.NOBODY_AVAILABLE,
                at(60)), at(120));
        assertThat(ownMaxWait.entry().state()).isEqualTo(QueueEntryState.OVERFLOWED);
        assertThat(ownMaxWait.log()).extracting(row -> row.type() + " " + row.waited().toSeconds())
                .containsExactly("TIMED_OUT 60", "OVERFLOWED 60");
        assertThat(QueueMachine.decide(inSecond, new Event.AnnounceDue(1, at(60)), at(80)).commands())
                .containsExactly(new Command.AnnouncePosition(1));
    }

    @Test
    void only_a_caller_who_overflowed_joins_another_queue_and_never_the_same_one() {
        QueueEntry waiting = QueueMachine.join(CALL, FIRST, "+15551230000", 0, 1, T0).entry();
        assertThatThrownBy(() -> QueueMachine.overflowJoin(waiting, SECOND, 0, 1, at(5)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> QueueMachine.overflowJoin(overflowed().entry(), FIRST, 0, 1, at(60)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void the_call_may_go_from_queued_to_queued_and_illegal_moves_still_fail() {
        assertThat(CallState.QUEUED.canMoveTo(CallState.QUEUED)).isTrue();
        assertThat(CallState.TALKING.canMoveTo(CallState.QUEUED)).isFalse();
        assertThat(CallState.ANNOUNCING.canMoveTo(CallState.QUEUED)).isFalse();
        assertThat(CallState.VOICEMAIL.canMoveTo(CallState.QUEUED)).isFalse();
    }
}
