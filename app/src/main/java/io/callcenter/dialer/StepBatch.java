package io.callcenter.dialer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Many steps stored in one transaction (a burst of webhooks, the call module's claims): what each step does once the
 * batch has committed, the agents the batch reserved for the people it left waiting, and each campaign read once for
 * the batch. Lane only: the engine's steps ask it whether a batch is open.
 */
final class StepBatch {

    /** The engine's logger: these lines were the engine's before this class was split from it, and keep its name. */
    private static final Logger log = LoggerFactory.getLogger(DialerEngine.class);

    private final CampaignRepository campaigns;
    private final TeamAgents agents;
    private final HeldAgents held;
    private final AttemptMachine machine;
    private final TransactionOperations transactions;
    private final Clock clock;

    /** While {@link #inOneTransaction} runs: what each step does once the batch has committed; lane only. */
    private List<Runnable> afterBatch;
    /** While {@link #inOneTransaction} runs: the agents it reserved, freed again if it rolls back; lane only. */
    private List<BatchReservation> reservedInBatch;
    /** While {@link #inOneTransaction} runs: each campaign read once for the batch; lane only. */
    private Map<UUID, Campaign> batchCampaigns;
    /** While {@link #inOneTransaction} runs: its steps' writes, in order, sent in one round trip before it commits. */
    private List<AttemptRepository.Write> writes;
    private final AttemptRepository attempts;

    /** An agent reserved inside a batch's transaction; {@code held}: progressive mode's own, kept on a rollback. */
    private record BatchReservation(UUID agentId, UUID attemptId, boolean held) {
    }

    StepBatch(CampaignRepository campaigns, AttemptRepository attempts, TeamAgents agents, HeldAgents held,
              AttemptMachine machine, TransactionOperations transactions, Clock clock) {
        this.campaigns = campaigns;
        this.attempts = attempts;
        this.agents = agents;
        this.held = held;
        this.machine = machine;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Runs the work in one transaction on the lane, each step's log lines and commands after the commit, in order
     * (see {@link DialerEngine#applyAll}); if it fails nothing of it is stored or carried out, and the exception is
     * thrown.
     */
    void inOneTransaction(Runnable work) {
        List<Runnable> after = new java.util.ArrayList<>();
        List<BatchReservation> reserved = new java.util.ArrayList<>();
        afterBatch = after;
        reservedInBatch = reserved;
        batchCampaigns = new HashMap<>();
        List<AttemptRepository.Write> written = new java.util.ArrayList<>();
        writes = written;
        try {
            transactions.executeWithoutResult(tx -> {
                work.run();
                flush();
            });
        } catch (RuntimeException e) {
            // Nothing of the batch is stored: its reservations are undone (the event-by-event pass reserves again).
            for (BatchReservation r : reserved) {
                if (!r.held()) {
                    agents.release(r.agentId(), r.attemptId());
                }
            }
            throw e;
        } finally {
            afterBatch = null;
            reservedInBatch = null;
            batchCampaigns = null;
            writes = null;
        }
        for (Runnable then : after) {
            // The batch is stored: one step's failure must not keep the others' agents and transfers from them.
            try {
                then.run();
            } catch (RuntimeException e) {
                if (io.callcenter.ops.DatabaseOutage.isOutage(e)) {
                    throw e;
                }
                log.error("A stored webhook's step could not be carried out", e);
            }
        }
    }

    /** A batch is being stored: steps defer what follows their commit to {@link #afterCommit}. */
    boolean open() {
        return afterBatch != null;
    }

    /**
     * A step's writes, stored with the batch's in one round trip before it commits, in the order the steps came;
     * whatever reads the attempt meanwhile on the lane reads it from {@link LaneAttempts}, which has it already.
     */
    void write(AttemptRepository.Write write) {
        writes.add(write);
    }

    /** The open batch's writes so far, in one round trip (before what must only be stored with them). */
    void flush() {
        if (!writes.isEmpty()) {
            attempts.writeAll(List.copyOf(writes));
            writes.clear();
        }
    }

    /** Runs once the open batch has committed, after the steps deferred before it. */
    void afterCommit(Runnable then) {
        afterBatch.add(then);
    }

    /**
     * In a batch, a person the step leaves waiting for an agent gets one at once, and that reservation is stored
     * in the batch's own transaction: a commit per person after the batch's was most of the lane's time while 200
     * people answered within a second (BENCHMARKS.md, "200 dialer transfers"). The transfer is still sent only
     * after the commit that records it. Null when the step finds no agent (then it waits as any person does).
     */
    AttemptMachine.Step reserveInBatch(AttemptMachine.Step step) {
        Attempt attempt = step.attempt();
        Optional<Instant> deadline = step.commands().stream()
                .filter(c -> c instanceof AttemptMachine.Command.FindAgent)
                .map(c -> ((AttemptMachine.Command.FindAgent) c).deadline()).findFirst();
        if (deadline.isEmpty() || attempt.state() != AttemptState.HUMAN || !clock.instant().isBefore(deadline.get())) {
            return null;
        }
        UUID heldAgent = held.heldFor(attempt.id());
        Optional<UUID> agent = held.candidates(campaignOf(attempt).teamId(), attempt.id())
                .filter(candidate -> agents.tryReserve(candidate, attempt.id())).findFirst();
        if (agent.isEmpty()) {
            return null;
        }
        reservedInBatch.add(new BatchReservation(agent.get(), attempt.id(), agent.get().equals(heldAgent)));
        return machine.agentReserved(attempt, agent.get());
    }

    /** The attempt's campaign; within a batch read once for all of it. */
    Campaign campaignOf(Attempt attempt) {
        if (batchCampaigns != null) {
            return batchCampaigns.computeIfAbsent(attempt.campaignId(), id -> campaigns.find(id).orElseThrow());
        }
        return campaigns.find(attempt.campaignId()).orElseThrow();
    }
}
