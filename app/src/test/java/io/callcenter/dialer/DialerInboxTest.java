package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;
import io.callcenter.dialer.telnyx.TelnyxInbox;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inbox's failures: a poisoned event is set aside and the rest go on; a database outage holds everything. */
class DialerInboxTest {

    /** The engine on fakes, as DialerEngineTest builds it. */
    private final DialerEngineTest f = new DialerEngineTest();


    /** One agent, two people dialled: {healthy, poisoned} (saving the poisoned one's attempt fails). */
    private Attempt[] healthyThenPoisoned() {
        Attempt[] two = f.twoDialled();
        Attempt healthy = two[0];
        Attempt poisoned = two[1];
        assertThat(poisoned.id()).isNotEqualTo(healthy.id());
        f.attempts.poisoned.add(poisoned.id());
        return new Attempt[]{healthy, poisoned};
    }

    /** What PostgreSQL undoes when a batch rolls back (these fakes store as they go): everything put back as now. */
    private Runnable undoToNow() {
        var stored = new java.util.LinkedHashMap<>(f.attempts.byId);
        var logged = new java.util.LinkedHashMap<UUID, java.util.List<AttemptRepository.Event>>();
        f.attempts.log.forEach((id, events) -> logged.put(id, new java.util.ArrayList<>(events)));
        var appliedBefore = java.util.List.copyOf(f.inbox.applied);
        var pendingBefore = java.util.List.copyOf(f.inbox.pending);
        return () -> {
            f.attempts.byId.clear();
            f.attempts.byId.putAll(stored);
            f.attempts.log.clear();
            f.attempts.log.putAll(logged);
            f.inbox.applied.clear();
            f.inbox.applied.addAll(appliedBefore);
            f.inbox.pending.clear();
            f.inbox.pending.addAll(pendingBefore);
        };
    }

    private TelnyxEvent answered(Attempt a, String id) {
        return new TelnyxEvent(id, "call.answered", f.clock.instant(), f.now(a).callControlId(), a.id(), null, null, "callee");
    }

    /** Two leads dialled; the one dialled {@code poisonedFirst ? first : second} is poisoned. {poisoned, healthy}. */
    private Attempt[] poisonedAndHealthy(boolean poisonedFirst) {
        Campaign c = f.campaign();
        f.leads.add(c.id(), "+12125550101", f.clock.instant());
        f.leads.add(c.id(), "+12125550102", f.clock.instant());
        f.engine.tick();
        f.engine.tick();
        Attempt first = f.attempts.find(f.carrier.dials.get(0).attemptId()).orElseThrow();
        Attempt second = f.attempts.find(f.carrier.dials.get(1).attemptId()).orElseThrow();
        Attempt poisoned = poisonedFirst ? first : second;
        f.attempts.poisoned.add(poisoned.id());
        return new Attempt[]{poisoned, poisonedFirst ? second : first};
    }

    @Test
    void an_event_that_keeps_failing_is_set_aside_after_a_few_tries_and_later_events_go_on() {
        Attempt[] two = poisonedAndHealthy(true);
        Attempt poisoned = two[0];
        Attempt healthy = two[1];
        TelnyxEvent bad = answered(poisoned, "bad");
        TelnyxEvent laterOfPoisoned = new TelnyxEvent("bad-later", "call.hangup", f.clock.instant().plusSeconds(1),
                f.now(poisoned).callControlId(), poisoned.id(), null, "normal_clearing", "callee");
        f.inbox.pending.add(bad);
        f.inbox.pending.add(laterOfPoisoned);
        f.inbox.pending.add(answered(healthy, "good"));

        f.engine.drainInbox();
        assertThat(f.inbox.applied).as("the healthy attempt is not held up").containsExactly("good");
        assertThat(f.now(healthy).state()).isEqualTo(AttemptState.ANSWERED);
        assertThat(f.inbox.pending).as("the poisoned one and its attempt's later event wait").extracting(TelnyxEvent::eventId)
                .containsExactlyInAnyOrder("bad", "bad-later");

        for (int i = 1; i < TelnyxInbox.MAX_TRIES; i++) {
            f.engine.drainInbox();
        }
        assertThat(f.inbox.setAside).as("set aside at the third try").containsExactly("bad");
        assertThat(f.inbox.tries.get("bad")).isEqualTo(TelnyxInbox.MAX_TRIES);
        // The database takes this attempt's rows again (the poison was that one event's content).
        f.attempts.poisoned.remove(poisoned.id());
        f.engine.drainInbox();
        assertThat(f.inbox.applied).as("the attempt's later event goes on").containsExactly("good", "bad-later");
        assertThat(f.inbox.pending).isEmpty();
    }

    @Test
    void a_burst_of_answers_is_stored_in_one_transaction_per_batch_and_each_transfer_is_sent_after_its_commit() {
        Campaign c = f.campaign(DialMode.PROGRESSIVE, Campaign.VoicemailPolicy.HANGUP);
        for (int i = 1; i <= 3; i++) {
            f.leads.add(c.id(), "+1212555010" + i, f.clock.instant());
        }
        f.agents.available.add(java.util.UUID.randomUUID());
        f.agents.available.add(java.util.UUID.randomUUID());
        for (int i = 0; i < 3 && f.carrier.dials.size() < 3; i++) {
            f.engine.tick();
        }
        assertThat(f.carrier.dials).as("one dial per available agent").hasSize(3);
        java.util.List<Attempt> called = f.carrier.dials.stream()
                .map(d -> f.attempts.find(d.attemptId()).orElseThrow()).toList();
        for (Attempt a : called) {
            f.inbox.pending.add(answered(a, "answered-" + a.id()));
            f.inbox.pending.add(new TelnyxEvent("human-" + a.id(), "call.machine.premium.detection.ended", f.clock.instant(),
                    f.now(a).callControlId(), a.id(), "human_residence", null, null));
        }
        java.util.List<Integer> transfersAtCommit = new java.util.ArrayList<>();
        f.transactions.onCommit = () -> transfersAtCommit.add((int) f.carrier.commands.stream()
                .filter(cmd -> cmd.name().equals("transfer")).count());
        int commits = f.transactions.commits;
        int finds = f.attempts.finds;
        int findAlls = f.attempts.findAlls;
        int markStatements = f.inbox.markStatements;

        f.engine.drainInbox();

        assertThat(f.attempts.findAlls - findAlls).as("the batch's attempts remembered since their dial: not read at all")
                .isZero();
        assertThat(f.attempts.finds - finds).as("no attempt read again per webhook").isZero();
        assertThat(f.inbox.markStatements - markStatements).as("the six marked applied in one statement").isEqualTo(1);
        assertThat(f.inbox.applied).hasSize(6);
        assertThat(called).allSatisfy(a -> {
            assertThat(f.now(a).state()).isEqualTo(AttemptState.TRANSFERRING);
            assertThat(f.carrier.names(a.id())).containsExactly("transfer");
        });
        // One commit for the six webhooks and the three agents reserved (each reservation stored with its verdict).
        assertThat(f.transactions.commits - commits).isEqualTo(1);
        assertThat(transfersAtCommit.getFirst()).as("no transfer before the webhooks' commit").isZero();
        assertThat(called).allSatisfy(a -> assertThat(f.attempts.events(a.id())).extracting(AttemptRepository.Event::to)
                .as("every transition logged, in order").endsWith("ANSWERED", "HUMAN", "TRANSFERRING"));
    }

    @Test
    void a_batch_that_rolls_back_frees_the_agents_it_reserved_and_the_one_by_one_pass_transfers_each_person_once() {
        Attempt[] dialled = healthyThenPoisoned();
        Attempt healthy = dialled[0];
        Attempt poisoned = dialled[1];
        // The healthy person first, so the batch reserves their agent before the poisoned event breaks it.
        f.inbox.pending.add(new TelnyxEvent("human", "call.machine.premium.detection.ended", f.clock.instant(),
                f.now(healthy).callControlId(), healthy.id(), "human_residence", null, null));
        f.inbox.pending.add(answered(poisoned, "bad"));
        Runnable undo = undoToNow();
        java.util.List<java.util.Map<UUID, UUID>> reservedAtRollbacks = new java.util.ArrayList<>();
        f.transactions.onRollback = () -> {
            reservedAtRollbacks.add(java.util.Map.copyOf(f.agents.reservedFor));
            if (reservedAtRollbacks.size() > 1) {
                return;  // the poisoned event alone, which stored nothing before it broke
            }
            undo.run();
        };

        f.engine.drainInbox();

        assertThat(reservedAtRollbacks.getFirst()).as("the batch had reserved an agent for the person when it broke")
                .containsValue(healthy.id());
        assertThat(f.inbox.applied).containsExactly("human");
        assertThat(f.now(healthy).state()).isEqualTo(AttemptState.TRANSFERRING);
        UUID agent = f.now(healthy).agentId();
        assertThat(f.agents.reservedFor).as("the rolled-back reservation was freed; the stored one alone holds an agent")
                .containsEntry(agent, healthy.id()).containsOnlyKeys(agent);
        assertThat(f.carrier.names(healthy.id())).as("one transfer, after the commit that stored it")
                .containsExactly("transfer");
        assertThat(f.attempts.events(healthy.id())).extracting(AttemptRepository.Event::to)
                .endsWith("HUMAN", "TRANSFERRING").doesNotHaveDuplicates();
    }

    @Test
    void a_batch_that_rolls_back_leaves_none_of_its_attempts_in_memory_and_the_one_by_one_pass_reads_the_database() {
        Attempt[] dialled = healthyThenPoisoned();
        Attempt healthy = dialled[0];
        Attempt poisoned = dialled[1];
        // The healthy person's answer and verdict first: the batch has them in memory (TRANSFERRING) when it breaks.
        f.inbox.pending.add(answered(healthy, "answered"));
        f.inbox.pending.add(new TelnyxEvent("human", "call.machine.premium.detection.ended", f.clock.instant(),
                f.now(healthy).callControlId(), healthy.id(), "human_residence", null, null));
        f.inbox.pending.add(answered(poisoned, "bad"));
        Runnable undo = undoToNow();
        boolean[] rolledBack = {false};
        f.transactions.onRollback = () -> {
            if (!rolledBack[0]) {
                rolledBack[0] = true;
                undo.run();  // the batch's rollback; the poisoned event alone stored nothing before it broke
            }
        };

        f.engine.drainInbox();

        assertThat(rolledBack[0]).isTrue();
        assertThat(f.inbox.applied).as("both applied again, from the stored attempt, not refused as out of order")
                .containsExactly("answered", "human");
        assertThat(f.now(healthy).state()).isEqualTo(AttemptState.TRANSFERRING);
        assertThat(f.attempts.events(healthy.id())).extracting(AttemptRepository.Event::to)
                .as("each transition logged once, in order").endsWith("ANSWERED", "HUMAN", "TRANSFERRING")
                .doesNotHaveDuplicates();
        assertThat(f.carrier.names(healthy.id())).containsExactly("transfer");
    }

    @Test
    void a_stored_batch_whose_one_step_breaks_still_carries_out_the_others_and_counts_no_failure() {
        Campaign c = f.campaign(DialMode.PROGRESSIVE, Campaign.VoicemailPolicy.HANGUP);
        f.leads.add(c.id(), "+12125550101", f.clock.instant());
        f.leads.add(c.id(), "+12125550102", f.clock.instant());
        f.agents.available.add(java.util.UUID.randomUUID());
        for (int i = 0; i < 2 && f.carrier.dials.size() < 2; i++) {
            f.engine.tick();
        }
        Attempt broken = f.attempts.find(f.carrier.dials.get(0).attemptId()).orElseThrow();
        Attempt fine = f.attempts.find(f.carrier.dials.get(1).attemptId()).orElseThrow();
        f.carrier.breaksOn.add(broken.id());
        for (Attempt a : java.util.List.of(broken, fine)) {
            f.inbox.pending.add(new TelnyxEvent("human-" + a.id(), "call.machine.premium.detection.ended", f.clock.instant(),
                    f.now(a).callControlId(), a.id(), "human_residence", null, null));
        }

        f.engine.drainInbox();

        assertThat(f.carrier.names(fine.id())).as("the other person is still transferred").containsExactly("transfer");
        assertThat(f.inbox.applied).hasSize(2);
        assertThat(f.inbox.tries).as("both events are stored: nothing to retry").isEmpty();
    }

    @Test
    void a_batch_that_fails_is_applied_one_by_one_as_if_it_had_not_been_tried() {
        Attempt[] two = poisonedAndHealthy(false);
        Attempt poisoned = two[0];
        Attempt healthy = two[1];
        // The poisoned one first: these fakes have no rollback (PostgreSQL undoes what a failed batch stored).
        f.inbox.pending.add(answered(poisoned, "bad"));
        f.inbox.pending.add(answered(healthy, "good"));
        int commits = f.transactions.commits;

        f.engine.drainInbox();

        assertThat(f.inbox.applied).containsExactly("good");
        assertThat(f.transactions.commits - commits).as("the failed batch did not commit; the healthy event did alone")
                .isEqualTo(1);
        assertThat(f.inbox.tries).as("one try counted, by the event-by-event pass, not two").containsEntry("bad", 1);
        assertThat(f.now(healthy).state()).isEqualTo(AttemptState.ANSWERED);
    }

    @Test
    void a_database_outage_counts_no_try_and_pauses_the_dialer_until_it_returns() {
        Campaign c = f.campaign();
        Attempt a = f.dialOne(c);
        f.attempts.outage = new DataAccessResourceFailureException("Connection refused");
        f.inbox.pending.add(answered(a, "during-outage"));
        assertThatThrownBy(f.engine::drainInbox).isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(f.inbox.tries).as("an outage is nobody's fault").isEmpty();

        f.leads.add(c.id(), "+12125550199", f.clock.instant());
        int dials = f.carrier.dials.size();
        f.engine.tick();
        assertThat(f.engine.heldBecause()).hasValueSatisfying(why -> assertThat(why).startsWith("database unavailable"));
        assertThat(f.carrier.dials).hasSize(dials);

        f.attempts.outage = null;
        f.engine.drainInbox();
        assertThat(f.inbox.applied).containsExactly("during-outage");
        f.engine.tick();
        assertThat(f.engine.heldBecause()).isEmpty();
    }
}
