package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

/**
 * Runs the campaigns: paces the dials, applies the carrier's events to attempts, connects humans to agents within
 * two seconds or abandons them, and schedules the leads' next attempts.
 *
 * <p>Everything that reads or changes attempts and campaigns runs on one lane, one task at a time, so a webhook, a
 * pacing tick and the call engine's claim never race over the same attempt. Carrier commands (HTTP, with retries)
 * run off the lane; their results come back to it.
 *
 * <p>Its parts, each on the same lane: {@link StepBatch} (many steps in one transaction, and the agents a batch
 * reserves), {@link WaitingHumans} (people matched to agents within their deadline), {@link AttemptCommands} (what
 * the machine's steps ask for), {@link RestartRecovery} (the attempts in flight after a restart) and
 * {@link LaneAttempts} (the open attempts as last stored, kept across batches).
 */
final class DialerEngine {

    private static final Logger log = LoggerFactory.getLogger(DialerEngine.class);
    /** A lead outside its calling hours is looked at again this much later. */
    static final Duration OUTSIDE_HOURS_RECHECK = Duration.ofMinutes(15);
    /** Why a campaign pauses by itself; this pause lifts by itself too, when an agent is back. */
    static final String NOBODY_WORKING = "no agent of the team is working (all offline or on break)";
    /** How a pause for the carrier's refusal starts: it lifts when a manager switches the campaign on again. */
    static final String CARRIER_REFUSED = "the carrier refused the dial (account or configuration): ";

    /** Paused until a manager switches the campaign on again, not by agents coming back. */
    static boolean pausedByCarrier(Campaign campaign) {
        return campaign.paused() && campaign.pausedReason() != null && campaign.pausedReason().startsWith(CARRIER_REFUSED);
    }

    private final CampaignRepository campaigns;
    private final AttemptRepository attempts;
    private final TeamAgents agents;
    private final Webhooks inbox;
    private final TransactionOperations transactions;
    private final AttemptMachine machine;
    private final Clock clock;
    private final Executor lane;
    private final DialerProperties properties;

    private final HeldAgents held;
    /** A tick is queued on the lane and has not started: another request for one is covered by it. */
    private final java.util.concurrent.atomic.AtomicBoolean tickQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** The queued tick is to scan for overdue attempts (a timer's tick asked for it; see {@link #tickForAgents}). */
    private final java.util.concurrent.atomic.AtomicBoolean watchdogsWanted = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Pausing waits this long: a phone re-registering, or the moment after a restart before agents' states are read
     * back from Asterisk, must not pause and resume every campaign.
     */
    private static final Duration PAUSE_AFTER = Duration.ofSeconds(2);
    private final Map<UUID, Instant> nobodyWorkingSince = new HashMap<>();
    /** Pacing and its guard, per campaign; lane only. */
    private final GuardedPacing pacing;
    private final DialerLane dialerLane;
    private final GroupCommit grouped;
    private final OutageHold outageHold;
    private final InboxDrain inboxDrain;
    private final Dials dials;
    private final Previews previews;
    /** The engine's parts, each lane only like the engine: see each class. */
    private final StepBatch batch;
    private final WaitingHumans waiting;
    private final AttemptCommands toCarryOut;
    private final RestartRecovery recovery;
    /** The open attempts as last stored, kept across batches; lane only. */
    private final LaneAttempts remembered;

    /** The call module's record of when the agent answered a dialled lead's call (see {@link #callRecordsFrom}). */
    private volatile java.util.function.Function<UUID, Optional<Instant>> agentAnsweredOnRecord = id -> Optional.empty();

    /** Admission control (call/admission): of the dials pacing wants, how many there is room for; all, unset. */
    private volatile java.util.function.IntBinaryOperator admission = (wanted, inFlight) -> wanted;

    /** Without offers pushed anywhere (tests of the dialing modes). */
    DialerEngine(CampaignRepository campaigns, LeadRepository leads, AttemptRepository attempts, TeamAgents agents,
                 DoNotCall doNotCall, CallControl control, boolean controlConfigured, Duration ringTimeout,
                 Webhooks inbox, TransactionOperations transactions, Clock clock, Executor lane, Executor commands,
                 DialerProperties properties) {
        this(campaigns, leads, attempts, agents, doNotCall, control, controlConfigured, ringTimeout, inbox, transactions,
                clock, lane, commands, properties, new AgentOffers(agents, event -> {
                }));
    }

    DialerEngine(CampaignRepository campaigns, LeadRepository leads, AttemptRepository attempts, TeamAgents agents,
                 DoNotCall doNotCall, CallControl control, boolean controlConfigured, Duration ringTimeout,
                 Webhooks inbox, TransactionOperations transactions, Clock clock, Executor lane, Executor commands,
                 DialerProperties properties, AgentOffers offers) {
        this.campaigns = campaigns;
        this.attempts = attempts;
        this.agents = agents;
        this.inbox = inbox;
        this.remembered = new LaneAttempts(attempts);
        // Every transaction of the lane's parts goes through this: the memory follows its commit or rollback.
        transactions = remembered.tracking(transactions);
        this.transactions = transactions;
        this.clock = clock;
        this.lane = lane;
        this.properties = properties;
        this.dialerLane = new DialerLane(lane);
        this.grouped = new GroupCommit(lane, this::inOneTransaction);
        this.outageHold = new OutageHold(clock);
        this.inboxDrain = new InboxDrain(inbox, clock, properties.inboxHold(), dialerLane, this::apply, this::applyAll);
        this.held = new HeldAgents(agents);
        this.pacing = new GuardedPacing(properties.adaptiveInterval(), campaigns, attempts, agents);
        // Carrier silence: the ring timeout plus a margin.
        this.machine = new AttemptMachine(clock, new AttemptTimeouts(ringTimeout.plusSeconds(90),
                properties.greetingTimeout(), properties.transferTimeout(), AttemptTimeouts.DEFAULT.message()));
        this.dials = new Dials(this, campaigns, leads, attempts, doNotCall, control, controlConfigured, transactions,
                machine, held, properties, clock, lane, commands);
        this.previews = new Previews(this, leads, attempts, agents, doNotCall, offers, transactions, properties);
        this.batch = new StepBatch(campaigns, attempts, agents, held, machine, transactions, clock);
        this.waiting = new WaitingHumans(this, attempts, agents, held, machine, clock);
        this.toCarryOut = new AttemptCommands(this, waiting, held, leads, attempts, doNotCall, control, offers, previews,
                machine, clock, lane, commands);
        this.recovery = new RestartRecovery(this, toCarryOut, waiting, attempts, agents, control, machine, clock, lane,
                commands);
    }

    /** See {@link GuardedPacing#warmStartFrom}; before the engine starts. */
    void warmStartFrom(PacingHistory history) {
        pacing.warmStartFrom(history);
    }

    // ------------------------------------------------------------------ entry points (any thread)

    /**
     * Queues a tick unless one is queued already. Every agent's state change asks for one, and progressive mode's
     * 200 holds queued 200 ticks (each reading every open attempt and every agent) ahead of the carrier's webhooks:
     * the people's answers waited 8-14 s behind them (BENCHMARKS.md, "200 dialer transfers"). One tick that starts
     * after a change sees it, so the queued one covers every change made before it starts.
     */
    void tickSoon() {
        watchdogsWanted.set(true);
        queueTick();
    }

    /**
     * A tick for an agent's state change: matching and pacing, without the scan of every open attempt for what the
     * carrier never reported in time. Agents change state all through a burst of answers, and that scan is a read of
     * every open attempt on the lane each time; the timer's tick (every {@code callcenter.dialer.tick}) still makes
     * it, and a timer's tick asked for while this one is queued makes this one scan.
     */
    void tickForAgents() {
        queueTick();
    }

    private void queueTick() {
        if (tickQueued.compareAndSet(false, true)) {
            later(() -> {
                tickQueued.set(false);
                outageHold.run(() -> tickOnce(watchdogsWanted.getAndSet(false)));
            });
        }
    }

    /** Queues work on the lane without waiting for it. */
    void later(Runnable work) {
        lane.execute(work);
    }

    /** See {@link InboxDrain#drain()}. */
    int drainInbox() {
        return inboxDrain.drain();
    }

    <T> T onLane(Callable<T> work) {
        return dialerLane.onLane(work);
    }

    /** See {@link GroupCommit#submit}: the call module's claims and notifications, stored together. */
    <T> T together(Callable<T> work, Duration within) throws TimeoutException {
        return grouped.submit(work, within);
    }

    /** See {@link GroupCommit#queue}: stored with the others queued, nobody waiting for it. */
    <T> java.util.concurrent.CompletableFuture<T> togetherLater(Callable<T> work) {
        return grouped.queue(work);
    }

    /** See {@link DialerLane#onLane(Callable, Duration)}. */
    <T> T onLane(Callable<T> work, Duration within) throws TimeoutException {
        return dialerLane.onLane(work, within);
    }

    // ------------------------------------------------------------------ on the lane

    /** See {@link RestartRecovery#recover}. */
    void recover() {
        remembered.forgetAll();
        recovery.recover();
    }

    /** When the carrier ends this attempt's call whatever we do: its time limit counted from the dial. */
    Instant carrierEndsAt(Attempt attempt) {
        return attempt.createdAt().plus(properties.carrierCallLimit());
    }

    /** Admission control: how many of the dials pacing wants there is room for, given the dials in flight. */
    void admitWith(java.util.function.IntBinaryOperator admission) {
        this.admission = admission;
    }

    /**
     * Where the dialler reads when the agent answered a call it handed over (the call's id is its attempt's), for an
     * attempt whose "connected" notice was lost: see {@link RestartRecovery#settleClaimed}.
     */
    void callRecordsFrom(java.util.function.Function<UUID, Optional<Instant>> agentAnsweredAt) {
        this.agentAnsweredOnRecord = agentAnsweredAt;
    }

    /** See {@link #callRecordsFrom}. */
    Optional<Instant> agentAnsweredOnRecord(UUID callId) {
        return agentAnsweredOnRecord.apply(callId);
    }

    /**
     * The attempts whose "connected" is queued on the lane and not yet stored or failed, with what it says: nothing
     * was lost for them, so the watchdog does not read the call's record for them (a read on the lane per person, in
     * a burst), and an event of theirs applied before it is applied after it (see {@link #apply}).
     */
    final Map<UUID, QueuedConnected> connectedQueued = new java.util.concurrent.ConcurrentHashMap<>();

    void tick() {
        outageHold.run(() -> tickOnce(true));
    }

    /** Why the dialer holds every campaign by itself, or empty. */
    Optional<String> heldBecause() {
        return outageHold.heldBecause();
    }

    private void tickOnce(boolean withWatchdogs) {
        try {
            matchWaitingHumans();
            if (withWatchdogs) {
                watchdogs();
            }
            for (Campaign campaign : campaigns.findAll()) {
                try {
                    pace(campaign);
                } catch (RuntimeException e) {
                    if (io.callcenter.ops.DatabaseOutage.isOutage(e)) {
                        throw e;
                    }
                    log.error("Pacing campaign {} failed", campaign.id(), e);
                }
            }
        } catch (RuntimeException e) {
            if (io.callcenter.ops.DatabaseOutage.isOutage(e)) {
                throw e;
            }
            log.error("Dialer tick failed", e);
        }
    }

    private void pace(Campaign campaign) {
        Instant now = clock.instant();
        boolean working = agents.anyWorking(campaign.teamId());
        if (working) {
            nobodyWorkingSince.remove(campaign.id());
        } else if (!campaign.paused()) {
            Instant since = nobodyWorkingSince.computeIfAbsent(campaign.id(), id -> now);
            if (Duration.between(since, now).compareTo(PAUSE_AFTER) >= 0) {
                campaigns.setSwitch(campaign.id(), "paused", true, NOBODY_WORKING, null, now);
                log.info("campaign {} paused: no agent working", campaign.name());
            }
            return;
        }
        if (working && campaign.paused() && !pausedByCarrier(campaign)) {
            campaigns.setSwitch(campaign.id(), "paused", false, "an agent of the team is working", null, now);
            log.info("campaign {} resumed", campaign.name());
            campaign = campaigns.find(campaign.id()).orElseThrow();
        }
        List<Attempt> open = attempts.open(campaign.id());
        if (!campaign.dials()) {
            pacing.forget(campaign.id());
            return;
        }
        if (campaign.dialMode().agentDials()) {
            previews.offer(campaign, now);
            return;
        }
        int toStart = admission.applyAsInt(pacing.dialsToStart(campaign, open, held.heldBy(open), now),
                (int) open.stream().filter(a -> a.state().isUnresolved()).count());
        if (toStart > 0) {
            dials.start(campaign, toStart, now);
        }
    }

    /** What the carrier never reported in time; a transfer being checked after a restart waits for the answer. */
    private void watchdogs() {
        Instant now = clock.instant();
        Map<UUID, Campaign> campaignsById = new HashMap<>();
        for (Attempt a : attempts.allOpen()) {
            if (recovery.overdueClaim(a, now)) {
                recovery.settleClaimed(a);
            } else if (!recovery.checking(a.id())) {
                Campaign campaign = campaignsById.computeIfAbsent(a.campaignId(), id -> campaigns.find(id).orElseThrow());
                machine.overdue(a, campaign, now).ifPresent(step -> step(a, step));
            }
        }
    }

    void apply(TelnyxEvent event) {
        apply(event, null, null);
    }

    /**
     * Applies one event. In a batch ({@code known} and {@code applied} set) the attempt comes from the batch's own
     * read, kept up to date by each step, and the event is marked applied with the rest of the batch; both live
     * only as long as the batch's transaction, so a rollback or another leader never sees them.
     */
    private void apply(TelnyxEvent event, Map<UUID, Attempt> known, List<TelnyxEvent> applied) {
        Instant now = clock.instant();
        Optional<Attempt> found = event.attemptId() == null ? Optional.empty()
                : known != null && known.containsKey(event.attemptId()) ? Optional.of(known.get(event.attemptId()))
                : remembered.find(event.attemptId());
        if (found.isEmpty()) {
            inbox.markApplied(event, now, "no attempt for client_state");
            return;
        }
        Attempt attempt = found.get();
        QueuedConnected queued = attempt.state() == AttemptState.TRANSFERRING ? connectedQueued.get(attempt.id()) : null;
        if (queued != null) {
            // The person reached their agent and the notice is still queued behind this event: stored first, so a
            // hangup right after the answer is not recorded as a person abandoned (5 of 200 in the transfers bench).
            attempt = step(attempt, machine.connected(attempt, queued.callId(), queued.at()), () -> { });
            if (known != null) {
                known.put(attempt.id(), attempt);
            }
        }
        Campaign campaign = campaignOf(attempt);
        AttemptMachine.Step step;
        try {
            step = machine.on(attempt, campaign, event);
        } catch (IllegalAttemptTransition e) {
            log.error("Webhook {} cannot be applied", event.eventId(), e);
            inbox.markApplied(event, now, e.getMessage());
            return;
        }
        Attempt stored = step(attempt, step, applied == null ? () -> inbox.markApplied(event, now, null)
                : () -> applied.add(event));
        if (known != null) {
            known.put(stored.id(), stored);
        }
    }

    /**
     * Applies webhooks in one transaction, one commit for the lot instead of one per event (200 people answering
     * within a second queued 400 commits on this lane, and each person's 2 s ran out before their agent was found:
     * BENCHMARKS.md, "200 dialer transfers"). The batch's attempts are read in one statement and its events marked
     * applied in one, instead of a read and an update per webhook. Each step's log lines and commands follow the
     * commit, in order. If any event fails nothing of the batch is stored or carried out, and the exception is thrown.
     */
    void applyAll(List<TelnyxEvent> events) {
        inOneTransaction(() -> {
            Map<UUID, Attempt> known = new HashMap<>();
            remembered.findAll(events.stream().map(TelnyxEvent::attemptId).filter(java.util.Objects::nonNull)
                    .collect(java.util.stream.Collectors.toSet())).forEach(a -> known.put(a.id(), a));
            List<TelnyxEvent> applied = new java.util.ArrayList<>();
            for (TelnyxEvent event : events) {
                apply(event, known, applied);
            }
            batch.flush();
            if (!applied.isEmpty()) {
                inbox.markAllApplied(applied, clock.instant());
            }
        });
    }

    /**
     * Runs the work in one transaction on the lane, each step's log lines and commands after the commit, in order
     * (see {@link #applyAll}); if it fails nothing of it is stored or carried out, and the exception is thrown.
     */
    void inOneTransaction(Runnable work) {
        batch.inOneTransaction(work);
    }

    void step(Attempt before, AttemptMachine.Step step) {
        step(before, step, () -> {
        });
    }

    /**
     * Stores the step with whatever must commit with it, then carries out its commands. Returns the attempt as
     * stored (with the agent a batch reserved for it, if any).
     */
    private Attempt step(Attempt before, AttemptMachine.Step step, Runnable alsoInTransaction) {
        Attempt after = step.attempt();
        AttemptMachine.Step reserved = batch.open() ? batch.reserveInBatch(step) : null;
        transactions.executeWithoutResult(tx -> {
            Attempt changed = reserved != null ? reserved.attempt() : step.changed(before) ? after : null;
            List<AttemptMachine.Transition> transitions = new java.util.ArrayList<>(step.transitions());
            if (reserved != null) {
                transitions.addAll(reserved.transitions());
            }
            write(after.id(), changed, transitions);
            alsoInTransaction.run();
        });
        Runnable then = () -> {
            logTransitions(after, step);
            for (AttemptMachine.Command command : step.commands()) {
                if (reserved == null || !(command instanceof AttemptMachine.Command.FindAgent)) {
                    toCarryOut.carryOut(after, command);
                }
            }
            if (reserved != null) {
                held.connected(after.id(), reserved.attempt().agentId());
                logTransitions(reserved.attempt(), reserved);
                for (AttemptMachine.Command command : reserved.commands()) {
                    toCarryOut.carryOut(reserved.attempt(), command);
                }
            }
        };
        if (batch.open()) {
            batch.afterCommit(then);
        } else {
            then.run();
        }
        return reserved != null ? reserved.attempt() : after;
    }

    /**
     * Stores a change of the attempt (null: none) and its transitions: in a batch with the batch's writes, in one
     * round trip before its commit, the lane's memory having it at once; else now.
     */
    void write(UUID attemptId, Attempt changed, List<AttemptMachine.Transition> transitions) {
        if (batch.open()) {
            if (changed != null) {
                remembered.written(changed);
            }
            batch.write(new AttemptRepository.Write(attemptId, changed, transitions));
            return;
        }
        if (changed != null) {
            remembered.save(changed);
        }
        attempts.log(attemptId, transitions);
    }

    private static void logTransitions(Attempt attempt, AttemptMachine.Step step) {
        for (AttemptMachine.Transition t : step.transitions()) {
            log.info("attempt {}: {} -> {} on {}{}", attempt.id(), t.from(), t.to(), t.event(), t.detail() == null ? "" : " (" + t.detail() + ")");
        }
    }

    /** See {@link WaitingHumans#match}. */
    void matchWaitingHumans() {
        waiting.match();
    }

    // ------------------------------------------------------------------ for the call module's side (on the lane)

    /** The person is no longer waiting for an agent to be found. */
    void stopWaiting(UUID attemptId) {
        waiting.stopWaiting(attemptId);
    }

    /** The lead's outcome once its open attempt ends, whatever the attempt's own outcome. */
    void outcomeWhenEnded(UUID attemptId, Outcome outcome) {
        toCarryOut.outcomeWhenEnded(attemptId, outcome);
    }

    /** The attempts as the lane last stored them; every write of an attempt on the lane goes through it. */
    LaneAttempts attempts() {
        return remembered;
    }

    Previews previews() {
        return previews;
    }

    AttemptMachine machine() {
        return machine;
    }


    /** The attempt's campaign; within a batch read once for all of it (see {@link StepBatch#campaignOf}). */
    Campaign campaignOf(Attempt attempt) {
        return batch.campaignOf(attempt);
    }
}
