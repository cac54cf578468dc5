package io.callcenter.dialer;

import io.callcenter.dialer.telnyx.TelnyxClient;
import io.callcenter.dialer.telnyx.TelnyxEvent;
import io.callcenter.dialer.telnyx.TelnyxInbox;
import io.callcenter.routing.DoNotCallList;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * Runs the campaigns: paces the dials, applies the carrier's events to attempts, connects humans to agents within
 * two seconds or abandons them, and schedules the leads' next attempts.
 *
 * <p>Everything that reads or changes attempts and campaigns runs on one lane, one task at a time, so a webhook, a
 * pacing tick and the call engine's claim never race over the same attempt. Carrier commands (HTTP, with retries)
 * run off the lane; their results come back to it.
 */
final class DialerEngine {

    private static final Logger log = LoggerFactory.getLogger(DialerEngine.class);
    static final Duration COMPLIANCE_WINDOW = Duration.ofDays(30);
    /** A lead outside its calling hours is looked at again this much later. */
    private static final Duration OUTSIDE_HOURS_RECHECK = Duration.ofMinutes(15);
    /** Carrier silence after which an unanswered attempt is given up (ring timeout plus a margin). */
    private final Duration silentCarrier;

    private final CampaignRepository campaigns;
    private final LeadRepository leads;
    private final AttemptRepository attempts;
    private final TeamAgents agents;
    private final DoNotCallList doNotCall;
    private final TelnyxClient telnyx;
    private final boolean telnyxConfigured;
    private final TelnyxInbox inbox;
    private final TransactionOperations transactions;
    private final AttemptMachine machine;
    private final Clock clock;
    private final Executor lane;
    private final Executor commands;
    private final DialerProperties properties;

    /** Humans waiting for an agent, with their deadline; lane only. */
    private final Map<UUID, Instant> waiting = new HashMap<>();
    /** Agents' dispositions of attempts that have not ended yet; they become the lead's outcome when it does. */
    private final Map<UUID, Outcome> agentDispositions = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Pausing waits this long: a phone re-registering, or the moment after a restart before agents' states are read
     * back from Asterisk, must not pause and resume every campaign.
     */
    private static final Duration PAUSE_AFTER = Duration.ofSeconds(2);
    private final Map<UUID, Instant> nobodyWorkingSince = new HashMap<>();
    private final java.util.Set<UUID> unconfiguredWarned = new java.util.HashSet<>();
    /** Pacing and its guard, per campaign; lane only. */
    private final PacingController pacing;

    DialerEngine(CampaignRepository campaigns, LeadRepository leads, AttemptRepository attempts, TeamAgents agents,
                 DoNotCallList doNotCall, TelnyxClient telnyx, boolean telnyxConfigured, Duration ringTimeout,
                 TelnyxInbox inbox, TransactionOperations transactions, Clock clock, Executor lane, Executor commands,
                 DialerProperties properties) {
        this.campaigns = campaigns;
        this.leads = leads;
        this.attempts = attempts;
        this.agents = agents;
        this.doNotCall = doNotCall;
        this.telnyx = telnyx;
        this.telnyxConfigured = telnyxConfigured;
        this.inbox = inbox;
        this.transactions = transactions;
        this.clock = clock;
        this.lane = lane;
        this.commands = commands;
        this.properties = properties;
        this.machine = new AttemptMachine(clock);
        this.silentCarrier = ringTimeout.plusSeconds(90);
        this.pacing = new PacingController(properties.adaptiveInterval());
    }

    // ------------------------------------------------------------------ entry points (any thread)

    void tickSoon() {
        lane.execute(this::tick);
    }

    /** Applies the inbox's pending webhooks in order of occurrence; returns how many. */
    int drainInbox() {
        List<TelnyxEvent> pending = inbox.pending(clock.instant().minus(properties.inboxHold()), 200);
        for (TelnyxEvent event : pending) {
            onLane(() -> {
                apply(event);
                return null;
            });
        }
        return pending.size();
    }

    <T> T onLane(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        lane.execute(task);
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    // ------------------------------------------------------------------ on the lane

    /**
     * After a restart: humans who were waiting for an agent have waited too long by now. A person being transferred
     * keeps the agent reserved for them (reservations live in memory and died with the old process), and the
     * transfer is sent again: if it had gone out, Telnyx recognises its command_id and does nothing twice.
     */
    void recover() {
        for (Attempt attempt : attempts.allOpen()) {
            if (attempt.state() == AttemptState.HUMAN) {
                waiting.put(attempt.id(), clock.instant());
            } else if (attempt.state() == AttemptState.TRANSFERRING && attempt.agentId() != null) {
                if (agents.tryReserve(attempt.agentId(), attempt.id())) {
                    log.info("attempt {}: transfer resumed after a restart", attempt.id());
                    carryOut(attempt, new AttemptMachine.Command.Transfer(attempt.agentId()));
                } else {
                    step(attempt, machine.transferFailed(attempt, campaignOf(attempt), "agent taken during a restart"));
                }
            } else if (attempt.state() == AttemptState.CONNECTED && attempt.agentId() != null) {
                // The call engine re-reserves the agent for the live call under the same id when it resynchronises.
                agents.tryReserve(attempt.agentId(), attempt.id());
            }
        }
    }

    void tick() {
        try {
            matchWaitingHumans();
            for (Campaign campaign : campaigns.findAll()) {
                try {
                    pace(campaign);
                } catch (RuntimeException e) {
                    log.error("Pacing campaign {} failed", campaign.id(), e);
                }
            }
        } catch (RuntimeException e) {
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
                campaigns.setSwitch(campaign.id(), "paused", true,
                        "no agent of the team is working (all offline or on break)", null, now);
                log.info("campaign {} paused: no agent working", campaign.name());
            }
            return;
        }
        if (working && campaign.paused()) {
            campaigns.setSwitch(campaign.id(), "paused", false, "an agent of the team is working", null, now);
            log.info("campaign {} resumed", campaign.name());
            campaign = campaigns.find(campaign.id()).orElseThrow();
        }
        List<Attempt> open = attempts.open(campaign.id());
        giveUpSilentAttempts(campaign, open, now);
        if (!campaign.dials()) {
            pacing.forget(campaign.id());
            return;
        }
        List<UUID> available = agents.available(campaign.teamId());
        int humansWaiting = (int) open.stream().filter(a -> a.state() == AttemptState.HUMAN).count();
        int inFlight = (int) open.stream().filter(a -> a.state().isUnresolved()).count() - humansWaiting;
        PacingController.Plan plan = pacing.plan(campaign, available.size(), agents.working(campaign.teamId()),
                humansWaiting, inFlight, attempts.abandonCounts(campaign.id(), periodStart(campaign, now),
                        now.minus(COMPLIANCE_WINDOW)), now);
        if (plan.changed()) {
            campaigns.setPacing(campaign.id(), plan.ratio(), plan.note());
            log.info("campaign {}: ratio {} -> {}{}", campaign.name(), campaign.ratio(), plan.ratio(),
                    plan.note() == null ? "" : " (" + plan.note() + ")");
        }
        int toStart = plan.dialsToStart();
        if (toStart > 0) {
            if (!telnyxConfigured) {
                if (unconfiguredWarned.add(campaign.id())) {
                    log.warn("campaign {} would dial but callcenter.telnyx (api-key, connection-id) is not configured",
                            campaign.name());
                }
                return;
            }
            startDials(campaign, toStart, now);
        }
    }

    /** The start of the campaign's current 30-day period, counted from its first switch-on. */
    static Instant periodStart(Campaign campaign, Instant now) {
        return CompliancePeriods.containing(campaign.periodAnchor(), now).start();
    }

    private void startDials(Campaign campaign, int count, Instant now) {
        int started = 0;
        for (Lead lead : leads.due(campaign.id(), now, count * 4 + 10)) {
            if (started == count) {
                break;
            }
            if (doNotCall.contains(lead.e164())) {
                leads.finish(lead.id(), Outcome.DO_NOT_CALL, null);
                log.info("lead {} of campaign {} is on the do-not-call list: closed", lead.id(), campaign.name());
                continue;
            }
            if (!campaign.callingHours().allows(now, CallingHours.zonesFor(lead.e164(), lead.timeZone()))) {
                leads.postpone(lead.id(), now.plus(OUTSIDE_HOURS_RECHECK));
                continue;
            }
            Attempt attempt = Attempt.dialling(UUID.randomUUID(), campaign.id(), lead.id(), lead.e164(), now)
                    .withTsr(new Attempt.Tsr((int) properties.greetingSilence().toMillis(), null, false));
            boolean claimed = Boolean.TRUE.equals(transactions.execute(tx -> {
                // A number another campaign is ringing right now waits: nobody is rung twice at once.
                if (attempts.numberBusy(lead.e164()) || !leads.markDialing(lead.id(), now)) {
                    return false;
                }
                attempts.insert(attempt);
                attempts.log(attempt.id(), List.of(new AttemptMachine.Transition(null, AttemptState.DIALING, "dial",
                        "attempt " + (lead.attempts() + 1) + ", ratio " + campaign.ratio(), now)));
                return true;
            }));
            if (!claimed) {
                continue;
            }
            started++;
            TelnyxClient.Dial dial = new TelnyxClient.Dial(attempt.id(), campaign.callerIdNumber(), lead.e164(), campaign.amdMode(),
                    (int) properties.greetingSilence().toMillis());
            commands.execute(() -> {
                try {
                    String callControlId = telnyx.dial(dial);
                    lane.execute(() -> dialed(attempt.id(), callControlId));
                } catch (TelnyxClient.CommandFailed e) {
                    log.warn("Dialling {} for attempt {} failed: {}", lead.e164(), attempt.id(), e.getMessage());
                    lane.execute(() -> dialFailed(attempt.id(), e));
                }
            });
        }
    }

    private void dialed(UUID attemptId, String callControlId) {
        attempts.find(attemptId).filter(a -> a.callControlId() == null)
                .ifPresent(a -> attempts.save(a.withCallControlId(callControlId)));
    }

    private void dialFailed(UUID attemptId, TelnyxClient.CommandFailed failure) {
        attempts.find(attemptId).filter(a -> a.state() == AttemptState.DIALING).ifPresent(a -> {
            Outcome outcome = failure.permanent() ? Outcome.DISCONNECTED : Outcome.NO_ANSWER;
            step(a, machine.dialFailed(a, outcome, "carrier refused the dial: " + failure.getMessage()));
        });
    }

    private void giveUpSilentAttempts(Campaign campaign, List<Attempt> open, Instant now) {
        for (Attempt a : open) {
            if ((a.state() == AttemptState.DIALING || a.state() == AttemptState.RINGING)
                    && a.createdAt().plus(silentCarrier).isBefore(now)) {
                step(a, machine.dialFailed(a, Outcome.NO_ANSWER, "no word from the carrier for " + silentCarrier.toSeconds() + " s"));
                // A late answer must not meet dead air: the call is ended at the carrier too (recorded in the log).
                carryOut(a, new AttemptMachine.Command.Hangup("silent for " + silentCarrier.toSeconds() + " s"));
            }
        }
    }

    void apply(TelnyxEvent event) {
        Instant now = clock.instant();
        Optional<Attempt> found = event.attemptId() == null ? Optional.empty() : attempts.find(event.attemptId());
        if (found.isEmpty()) {
            inbox.markApplied(event, now, "no attempt for client_state");
            return;
        }
        Attempt attempt = found.get();
        Campaign campaign = campaigns.find(attempt.campaignId()).orElseThrow();
        AttemptMachine.Step step;
        try {
            step = machine.on(attempt, campaign, event);
        } catch (IllegalAttemptTransition e) {
            log.error("Webhook {} cannot be applied", event.eventId(), e);
            inbox.markApplied(event, now, e.getMessage());
            return;
        }
        step(attempt, step, () -> inbox.markApplied(event, now, null));
    }

    private void step(Attempt before, AttemptMachine.Step step) {
        step(before, step, () -> {
        });
    }

    /** Stores the step with whatever must commit with it, then carries out its commands. */
    private void step(Attempt before, AttemptMachine.Step step, Runnable alsoInTransaction) {
        Attempt after = step.attempt();
        transactions.executeWithoutResult(tx -> {
            if (step.changed(before)) {
                attempts.save(after);
            }
            attempts.log(after.id(), step.transitions());
            alsoInTransaction.run();
        });
        for (AttemptMachine.Transition t : step.transitions()) {
            log.info("attempt {}: {} -> {} on {}{}", after.id(), t.from(), t.to(), t.event(), t.detail() == null ? "" : " (" + t.detail() + ")");
        }
        for (AttemptMachine.Command command : step.commands()) {
            carryOut(after, command);
        }
    }

    private void carryOut(Attempt attempt, AttemptMachine.Command command) {
        switch (command) {
            case AttemptMachine.Command.FindAgent find -> {
                waiting.put(attempt.id(), find.deadline());
                matchWaitingHumans();
            }
            case AttemptMachine.Command.Transfer transfer -> commands.execute(() -> {
                try {
                    telnyx.transfer(attempt.callControlId(), attempt.id());
                } catch (TelnyxClient.CommandFailed e) {
                    log.warn("Transfer of attempt {} failed: {}", attempt.id(), e.getMessage());
                    lane.execute(() -> attempts.find(attempt.id()).filter(a -> a.state() == AttemptState.TRANSFERRING)
                            .ifPresent(a -> step(a, machine.transferFailed(a, campaignOf(a), e.getMessage()))));
                }
            });
            case AttemptMachine.Command.Hangup hangup -> {
                if (attempt.callControlId() != null) {
                    commands.execute(() -> {
                        try {
                            telnyx.hangup(attempt.callControlId(), attempt.id());
                        } catch (TelnyxClient.CommandFailed e) {
                            log.warn("Hangup of attempt {} ({}) failed: {}", attempt.id(), hangup.why(), e.getMessage());
                        }
                    });
                }
            }
            case AttemptMachine.Command.LeaveMessage message -> commands.execute(() -> {
                try {
                    telnyx.speak(attempt.callControlId(), attempt.id(), message.text());
                } catch (TelnyxClient.CommandFailed e) {
                    log.warn("Voicemail message for attempt {} failed: {}", attempt.id(), e.getMessage());
                    try {
                        telnyx.hangup(attempt.callControlId(), attempt.id());
                    } catch (TelnyxClient.CommandFailed ignored) {
                        // The call ends by itself when the machine stops recording.
                    }
                }
            });
            case AttemptMachine.Command.ReleaseAgent release -> agents.release(release.agentId(), attempt.id());
            case AttemptMachine.Command.Finish finish -> finish(attempt, finish.outcome());
        }
    }

    private void finish(Attempt attempt, Outcome attemptOutcome) {
        waiting.remove(attempt.id());
        // The agent may have given their disposition before the carrier's hangup reached us.
        Outcome given = agentDispositions.remove(attempt.id());
        Outcome outcome = given != null ? given : attemptOutcome;
        Campaign campaign = campaignOf(attempt);
        Lead lead = leads.find(attempt.leadId()).orElseThrow();
        Instant next = campaign.retry().next(lead.attempts(), outcome, attempt.endedAt()).orElse(null);
        leads.finish(lead.id(), outcome, next);
        if (outcome == Outcome.DO_NOT_CALL) {
            doNotCall.add(lead.e164(), "internal", "campaign " + campaign.name(), null);
        }
    }

    /** Gives each waiting human the longest-idle available agent, or abandons them after their deadline. */
    void matchWaitingHumans() {
        if (waiting.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (UUID attemptId : List.copyOf(waiting.keySet())) {
            Optional<Attempt> found = attempts.find(attemptId).filter(a -> a.state() == AttemptState.HUMAN);
            if (found.isEmpty()) {
                waiting.remove(attemptId);
                continue;
            }
            Attempt attempt = found.get();
            Campaign campaign = campaignOf(attempt);
            if (!now.isBefore(waiting.get(attemptId))) {
                // Past the deadline an agent could only connect late, which the rule counts as abandoned anyway.
                waiting.remove(attemptId);
                step(attempt, machine.noAgentInTime(attempt, campaign));
                continue;
            }
            Optional<UUID> agent = agents.available(campaign.teamId()).stream()
                    .filter(candidate -> agents.tryReserve(candidate, attemptId)).findFirst();
            if (agent.isPresent()) {
                waiting.remove(attemptId);
                step(attempt, machine.agentReserved(attempt, agent.get()));
            }
        }
    }


    // ------------------------------------------------------------------ the call engine's side (on the lane)

    Optional<DialerService.Assignment> claim(UUID attemptId) {
        return attempts.find(attemptId)
                .filter(a -> a.state() == AttemptState.TRANSFERRING && a.agentId() != null)
                .map(a -> {
                    Campaign campaign = campaignOf(a);
                    attempts.log(a.id(), List.of(new AttemptMachine.Transition(a.state(), a.state(), "claimed by the call engine",
                            "agent " + a.agentId(), clock.instant())));
                    String leadName = leads.find(a.leadId()).map(Lead::name).orElse(null);
                    return new DialerService.Assignment(a.id(), campaign.id(), campaign.teamId(), a.agentId(), a.leadId(),
                            a.e164(), leadName, campaign.safeHarborSound(), campaign.safeHarborMessage());
                });
    }

    void connected(UUID attemptId, UUID callId, Instant at) {
        attempts.find(attemptId).filter(a -> a.state() == AttemptState.TRANSFERRING)
                .ifPresent(a -> step(a, machine.connected(a, callId, at)));
    }

    void abandoned(UUID attemptId, Instant at, String reason) {
        attempts.find(attemptId)
                .filter(a -> a.state() == AttemptState.TRANSFERRING || a.state() == AttemptState.HUMAN)
                .ifPresent(a -> {
                    waiting.remove(attemptId);
                    step(a, machine.abandonedByEngine(a, at, reason));
                });
    }

    /** Records that a machine result was a person; returns the attempt as recorded. */
    Attempt detectionError(UUID attemptId, String why) {
        Attempt attempt = attempts.find(attemptId).orElseThrow();
        AttemptMachine.Step step = machine.detectionError(attempt, why);
        step(attempt, step);
        return step.attempt();
    }

    void dispositionGiven(UUID attemptId, String code) {
        Optional<Attempt> attempt = attempts.find(attemptId);
        if (attempt.isEmpty()) {
            return;
        }
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(code);
        } catch (IllegalArgumentException e) {
            return;
        }
        Instant now = clock.instant();
        if (attempt.get().state().isOpen()) {
            // Applied when the attempt ends (the carrier's hangup may still be on its way).
            agentDispositions.put(attemptId, outcome);
            attempts.log(attemptId, List.of(new AttemptMachine.Transition(attempt.get().state(), attempt.get().state(),
                    "disposition by agent", code + ", applied when the attempt ends", now)));
            return;
        }
        Campaign campaign = campaignOf(attempt.get());
        Lead lead = leads.find(attempt.get().leadId()).orElseThrow();
        Instant next = campaign.retry().next(lead.attempts(), outcome, now).orElse(null);
        leads.finish(lead.id(), outcome, next);
        attempts.log(attemptId, List.of(new AttemptMachine.Transition(attempt.get().state(), attempt.get().state(),
                "disposition by agent", code + (next == null ? ", not called again" : ", next attempt " + next), now)));
    }

        private Campaign campaignOf(Attempt attempt) {
        return campaigns.find(attempt.campaignId()).orElseThrow();
    }
}
