package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The open attempts kept on the dialer's lane across batches: a person's webhooks, claim and "connected" read
 * nothing back from the database; never ahead of it after a rollback, never trusted across a change of leader.
 */
class LaneAttemptsTest {

    /** The engine on fakes, as DialerEngineTest builds it. */
    private final DialerEngineTest f = new DialerEngineTest();

    private TelnyxEvent event(String id, Attempt a, String type, String result) {
        return new TelnyxEvent(id, type, f.clock.instant(), f.now(a).callControlId(), a.id(), result, null, "callee");
    }

    @Test
    void after_the_dial_a_persons_webhooks_claim_and_connected_read_no_attempt_from_the_database() {
        Attempt a = f.dialOne(f.campaign());
        f.inbox.pending.add(event("answered", a, "call.answered", null));
        f.inbox.pending.add(event("human", a, "call.machine.premium.detection.ended", "human_residence"));
        DialerService service = new DialerService(f.engine, f.attempts, f.leads, f.notToCall, f.clock);
        int reads = f.attempts.finds + f.attempts.findAlls;

        f.engine.drainInbox();
        assertThat(service.claim(a.id())).isPresent();
        service.connected(a.id(), a.id(), f.clock.instant());

        assertThat(f.attempts.finds + f.attempts.findAlls - reads).as("no attempt read back").isZero();
        assertThat(f.now(a).state()).isEqualTo(AttemptState.CONNECTED);
        assertThat(f.attempts.events(a.id())).extracting(AttemptRepository.Event::to)
                .as("every transition logged, in order").endsWith("ANSWERED", "HUMAN", "TRANSFERRING", "TRANSFERRING", "CONNECTED");
    }

    @Test
    void a_batchs_steps_are_written_in_one_round_trip_before_its_commit_and_in_order() {
        Attempt[] two = f.twoDialled();
        for (Attempt a : two) {
            f.inbox.pending.add(event("answered-" + a.id(), a, "call.answered", null));
            f.inbox.pending.add(event("human-" + a.id(), a, "call.machine.premium.detection.ended", "human_residence"));
        }
        java.util.List<Integer> writesAtCommit = new java.util.ArrayList<>();
        f.transactions.onCommit = () -> writesAtCommit.add(f.attempts.writeAlls);
        int writes = f.attempts.writeAlls;

        f.engine.drainInbox();

        assertThat(f.attempts.writeAlls - writes).as("four steps and two reservations: one round trip").isEqualTo(1);
        assertThat(writesAtCommit).as("written before the commit").containsExactly(writes + 1);
        for (Attempt a : two) {
            assertThat(f.now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
            assertThat(f.attempts.events(a.id())).extracting(AttemptRepository.Event::to)
                    .as("every transition logged, in order").endsWith("ANSWERED", "HUMAN", "TRANSFERRING");
            assertThat(f.carrier.names(a.id())).containsExactly("transfer");
        }
    }

    @Test
    void a_transaction_that_rolls_back_leaves_the_memory_as_committed_and_the_next_read_goes_to_the_database() {
        Attempt a = f.dialOne(f.campaign());
        LaneAttempts memory = new LaneAttempts(f.attempts);
        var transactions = memory.tracking(f.transactions);
        assertThat(memory.find(a.id())).contains(a);
        var stored = new LinkedHashMap<>(f.attempts.byId);
        f.transactions.onRollback = () -> {
            f.attempts.byId.clear();
            f.attempts.byId.putAll(stored);  // what PostgreSQL undoes (these fakes store as they go)
        };
        Attempt claimed = a.change(d -> d.claimedAt = Instant.EPOCH);

        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
            memory.save(claimed);
            assertThat(memory.find(a.id())).as("the transaction sees its own write").contains(claimed);
            throw new IllegalStateException("the batch breaks");
        })).isInstanceOf(IllegalStateException.class);

        int reads = f.attempts.finds;
        assertThat(memory.find(a.id())).as("as the database has it").contains(a);
        assertThat(f.attempts.finds - reads).as("read from the database, not from a memory ahead of it").isEqualTo(1);

        transactions.executeWithoutResult(tx -> memory.save(claimed));
        reads = f.attempts.finds;
        assertThat(memory.find(a.id())).contains(claimed);
        assertThat(f.attempts.finds - reads).as("a committed write is remembered").isZero();
    }

    @Test
    void a_new_leader_reads_every_attempt_from_the_database_and_ended_attempts_are_not_kept() {
        Attempt a = f.dialOne(f.campaign());
        assertThat(f.engine.attempts().remembered()).isEqualTo(1);
        // Another instance led the dialer meanwhile: the carrier's hangup ended the attempt there.
        Attempt endedElsewhere = a.change(d -> {
            d.state = AttemptState.ENDED;
            d.outcome = Outcome.NO_ANSWER;
            d.endedAt = f.clock.instant();
        });
        f.attempts.byId.put(a.id(), endedElsewhere);
        f.engine.recover();

        f.engine.apply(event("late", a, "call.answered", null));

        assertThat(f.now(a).state()).as("the stored attempt decides, not the one remembered before")
                .isEqualTo(AttemptState.ENDED);
        assertThat(f.now(a).outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(f.engine.attempts().remembered()).as("an ended attempt is not kept").isZero();
    }

    @Test
    void a_discarded_attempt_is_forgotten() {
        Attempt a = f.dialOne(f.campaign());
        LaneAttempts memory = f.engine.attempts();
        memory.forget(a.id());
        f.attempts.byId.remove(a.id());
        assertThat(memory.find(a.id())).isEmpty();
        assertThat(memory.remembered()).isZero();
    }

    @Test
    void an_unknown_attempt_read_twice_is_asked_of_the_database_twice() {
        LaneAttempts memory = f.engine.attempts();
        UUID unknown = UUID.randomUUID();
        int reads = f.attempts.finds;
        assertThat(memory.find(unknown)).isEmpty();
        assertThat(memory.find(unknown)).isEmpty();
        assertThat(f.attempts.finds - reads).isEqualTo(2);
    }
}
