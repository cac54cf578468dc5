package io.callcenter.dialer;

import io.callcenter.call.DialledLeads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * The dialer's side of the call module's {@link DialledLeads} port: the person a transfer brought to our Asterisk,
 * the agent reserved for them, and what became of the connection. The work runs on the dialer's lane, which also
 * applies the carrier's webhooks; the call module's lane waits on it at most {@link DialledLeads#ANSWER_WITHIN}.
 * Past that a claim counts as not claimed (and is undone once the lane gets to it: the person hears the safe-harbor
 * message from the call module, so the agent is freed and the attempt is abandoned); a notification is not waited
 * for, and still applied when the lane gets to it.
 */
public class DialerService implements DialledLeads {

    private static final Logger log = LoggerFactory.getLogger(DialerService.class);

    private final DialerEngine engine;
    private final AttemptRepository attempts;
    private final LeadRepository leads;
    private final DoNotCall doNotCall;
    private final Clock clock;

    DialerService(DialerEngine engine, AttemptRepository attempts, LeadRepository leads, DoNotCall doNotCall, Clock clock) {
        this.engine = engine;
        this.attempts = attempts;
        this.leads = leads;
        this.doNotCall = doNotCall;
        this.clock = clock;
    }

    @Override
    public Optional<Handover> claim(UUID attemptId) {
        try {
            return engine.together(() -> claimNow(attemptId), ANSWER_WITHIN);
        } catch (TimeoutException e) {
            log.warn("attempt {}: the dialer did not answer the claim within {} ms; treated as not claimed",
                    attemptId, ANSWER_WITHIN.toMillis());
            // Queued behind the claim: whenever that runs, this undoes it; the call lane does not wait for either.
            engine.later(() -> abandonedNow(attemptId, clock.instant(), "claim not answered in time"));
            return Optional.empty();
        }
    }

    /**
     * Told from the call's lane the moment person and agent hear each other: queued on the dialer's lane and stored
     * with whatever else is queued, the call's lane not waiting for it (it has calls to run). If it is not stored
     * (database away, a crash before the commit), the call's own record settles it: see
     * {@link RestartRecovery#settleClaimed}.
     */
    @Override
    public void connected(UUID attemptId, UUID callId, Instant at) {
        engine.connectedQueued.put(attemptId, new QueuedConnected(callId, at));
        try {
            engine.togetherLater(() -> {
                connectedNow(attemptId, callId, at);
                return null;
            }).whenComplete((ignored, failure) -> notStored(attemptId, failure));
        } catch (RuntimeException e) {
            // The lane takes no more work (shutting down): the call's step goes on, the record settles the attempt.
            notStored(attemptId, e);
        }
    }

    private void notStored(UUID attemptId, Throwable failure) {
        engine.connectedQueued.remove(attemptId);
        if (failure != null) {
            log.warn("attempt {}: connected not stored ({}); the call's record settles it on the next watchdog",
                    attemptId, failure.toString());
        }
    }

    private void connectedNow(UUID attemptId, UUID callId, Instant at) {
        engine.attempts().find(attemptId).filter(a -> a.state() == AttemptState.TRANSFERRING)
                .ifPresent(a -> engine.step(a, engine.machine().connected(a, callId, at)));
    }

    @Override
    public void abandoned(UUID attemptId, Instant at, String reason) {
        notify("abandoned", attemptId, () -> abandonedNow(attemptId, at, reason));
    }

    /**
     * The number goes on the company's do-not-call list at once, the opt-out is recorded on the attempt, and the
     * lead is closed as DO_NOT_CALL (when its attempt ends, if it has not yet); the attempt keeps its own outcome
     * (an abandoned call stays abandoned in the abandon-rate accounting).
     */
    @Override
    public void optedOut(UUID attemptId, Instant at) {
        notify("opted out", attemptId, () -> engine.attempts().find(attemptId).ifPresent(a -> {
            Campaign campaign = engine.campaignOf(a);
            doNotCall.add(a.e164(), "opted out during the safe-harbor message of campaign " + campaign.name());
            engine.step(a, engine.machine().optedOut(a, at));
            leadOutcome(a, Outcome.DO_NOT_CALL, "opted out", at);
            campaignOptOut(campaign, a, at);
        }));
    }

    /**
     * The campaign's side of an opt-out (the compliance work hooks its accounting here); the number is already on
     * the do-not-call list and the attempt's log records the opt-out.
     */
    void campaignOptOut(Campaign campaign, Attempt attempt, Instant at) {
    }

    /**
     * The agent's disposition of a dialled call becomes the lead's outcome (one code list): it decides whether and
     * when the lead is called again, e.g. CALLBACK per the campaign's retry rules, NOT_INTERESTED never.
     */
    @Override
    public void dispositionGiven(UUID attemptId, String code) {
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(code);
        } catch (IllegalArgumentException e) {
            return;
        }
        notify("disposition", attemptId, () -> engine.attempts().find(attemptId)
                .ifPresent(a -> leadOutcome(a, outcome, "disposition by agent", clock.instant())));
    }

    @Override
    public Optional<UUID> offeredCall(UUID agentId, String leadId) {
        UUID lead;
        try {
            lead = UUID.fromString(leadId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return engine.onLane(() -> engine.previews().handOver(agentId, lead, clock.instant()), ANSWER_WITHIN);
        } catch (TimeoutException e) {
            log.warn("agent {}: the dialer did not answer for the offered lead {} within {} ms; placed as any call",
                    agentId, leadId, ANSWER_WITHIN.toMillis());
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ on the dialer's lane

    /** Read without the dialer's lane: a campaign's message settings are read-only here. */
    @Override
    public Optional<SafeHarbor> safeHarbor(UUID attemptId) {
        return attempts.find(attemptId).map(engine::campaignOf)
                .map(campaign -> new SafeHarbor(campaign.safeHarborSound(), campaign.compliance().safeHarbor().optOutDigit()));
    }

    private Optional<Handover> claimNow(UUID attemptId) {
        return engine.attempts().find(attemptId)
                .filter(a -> a.state() == AttemptState.TRANSFERRING && a.agentId() != null)
                .map(a -> {
                    Campaign campaign = engine.campaignOf(a);
                    engine.step(a, engine.machine().claimed(a, clock.instant()));
                    String leadName = leads.find(a.leadId()).map(Lead::name).orElse(null);
                    return new Handover(a.id(), campaign.id(), campaign.teamId(), a.agentId(), a.leadId(), a.e164(),
                            leadName, campaign.safeHarborSound(), campaign.safeHarborMessage(),
                            campaign.compliance().safeHarbor().optOutDigit(), engine.carrierEndsAt(a));
                });
    }

    private void abandonedNow(UUID attemptId, Instant at, String reason) {
        engine.attempts().find(attemptId)
                .filter(a -> a.state() == AttemptState.TRANSFERRING || a.state() == AttemptState.HUMAN)
                .ifPresent(a -> {
                    engine.stopWaiting(attemptId);
                    engine.step(a, engine.machine().abandonedByEngine(a, at, reason));
                });
    }

    /** An open attempt takes the outcome when it ends (the carrier's hangup may still be on its way). */
    private void leadOutcome(Attempt attempt, Outcome outcome, String why, Instant now) {
        if (attempt.state() == AttemptState.PLACED) {
            // The agent's own preview call: their word ends the attempt (the call module frees the agent).
            engine.step(attempt, engine.machine().previewDisposed(attempt, outcome, now));
            return;
        }
        if (attempt.state().isOpen()) {
            engine.outcomeWhenEnded(attempt.id(), outcome);
            engine.write(attempt.id(), null, List.of(new AttemptMachine.Transition(attempt.state(), attempt.state(), why,
                    outcome + ", applied when the attempt ends", now)));
            return;
        }
        Campaign campaign = engine.campaignOf(attempt);
        Lead lead = leads.find(attempt.leadId()).orElseThrow();
        Instant next = campaign.retry().next(lead.attempts(), outcome, now).orElse(null);
        leads.finish(lead.id(), outcome, next, campaign.retry().closedReason(lead.attempts(), outcome).orElse(null));
        engine.write(attempt.id(), null, List.of(new AttemptMachine.Transition(attempt.state(), attempt.state(), why,
                outcome + (next == null ? ", not called again" : ", next attempt " + next), now)));
    }

    private void notify(String what, UUID attemptId, Runnable work) {
        Callable<Void> task = () -> {
            work.run();
            return null;
        };
        try {
            engine.together(task, ANSWER_WITHIN);
        } catch (TimeoutException e) {
            log.warn("attempt {}: {} not applied within {} ms; the dialer's lane applies it when it is free",
                    attemptId, what, ANSWER_WITHIN.toMillis());
        }
    }
}
