package io.callcenter.dialer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The campaign's own dials through the carrier: each recorded as an attempt before the command is sent (off the
 * lane, with the carrier's retries), its call control id stored when the carrier answers the command, and a refused
 * dial undone or ended by whose fault it was. Lane only, like the engine; the carrier's events then go through
 * {@link DialerEngine#apply}.
 */
final class Dials {

    private static final Logger log = LoggerFactory.getLogger(Dials.class);

    private final DialerEngine engine;
    private final CampaignRepository campaigns;
    private final LeadRepository leads;
    private final AttemptRepository attempts;
    private final DoNotCall doNotCall;
    private final CallControl control;
    private final boolean controlConfigured;
    private final TransactionOperations transactions;
    private final AttemptMachine machine;
    private final HeldAgents held;
    private final DialerProperties properties;
    private final java.time.Clock clock;
    private final Executor lane;
    private final Executor commands;
    /** A rate limit holds every new dial until then. */
    private Instant dialsHeldUntil = Instant.EPOCH;
    private final Set<UUID> unconfiguredWarned = new HashSet<>();

    Dials(DialerEngine engine, CampaignRepository campaigns, LeadRepository leads, AttemptRepository attempts,
          DoNotCall doNotCall, CallControl control, boolean controlConfigured, TransactionOperations transactions,
          AttemptMachine machine, HeldAgents held, DialerProperties properties, java.time.Clock clock, Executor lane,
          Executor commands) {
        this.engine = engine;
        this.campaigns = campaigns;
        this.leads = leads;
        this.attempts = attempts;
        this.doNotCall = doNotCall;
        this.control = control;
        this.controlConfigured = controlConfigured;
        this.transactions = transactions;
        this.machine = machine;
        this.held = held;
        this.properties = properties;
        this.clock = clock;
        this.lane = lane;
        this.commands = commands;
    }

    /**
     * Starts up to {@code count} dials for the campaign's due leads: do-not-call closes a lead, a lead outside its
     * calling hours waits, each dial is recorded before it is placed. Nothing while a rate limit holds the dials.
     */
    void start(Campaign campaign, int count, Instant now) {
        if (now.isBefore(dialsHeldUntil)) {
            return;
        }
        if (!controlConfigured) {
            if (unconfiguredWarned.add(campaign.id())) {
                log.warn("campaign {} would dial but callcenter.telnyx (api-key, connection-id) is not configured",
                        campaign.name());
            }
            return;
        }
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
            if (!campaign.callingHours().allows(now, CallingHours.zonesFor(lead.e164(), lead.timeZone()),
                    properties.lawfulHours())) {
                leads.postpone(lead.id(), now.plus(DialerEngine.OUTSIDE_HOURS_RECHECK));
                continue;
            }
            Attempt attempt = Attempt.dialling(UUID.randomUUID(), campaign.id(), lead.id(), lead.e164(), now)
                    .change(d -> d.tsr = new Attempt.Tsr((int) properties.greetingSilence().toMillis(), null, false));
            // Progressive: no free agent to hold, no dial, so nobody can answer without one.
            UUID heldAgent = campaign.dialMode().reservesAgent() ? held.hold(campaign.teamId(), attempt.id()) : null;
            if (campaign.dialMode().reservesAgent() && heldAgent == null) {
                break;
            }
            boolean claimed = Boolean.TRUE.equals(transactions.execute(tx -> {
                // A number another campaign is ringing right now waits: nobody is rung twice at once.
                if (attempts.numberBusy(lead.e164()) || !leads.markDialing(lead.id(), now)) {
                    return false;
                }
                engine.attempts().insert(attempt);
                attempts.log(attempt.id(), List.of(new AttemptMachine.Transition(null, AttemptState.DIALING, "dial",
                        "attempt " + (lead.attempts() + 1) + ", ratio " + campaign.ratio()
                                + (heldAgent == null ? "" : ", agent " + heldAgent + " held"), now)));
                return true;
            }));
            if (!claimed) {
                held.release(attempt.id());
                continue;
            }
            started++;
            CallControl.Dial dial = new CallControl.Dial(attempt.id(), campaign.callerIdNumber(), lead.e164(), campaign.amdMode(),
                    (int) properties.greetingSilence().toMillis(), properties.carrierCallLimit().toSeconds());
            commands.execute(() -> {
                try {
                    String callControlId = control.dial(dial);
                    lane.execute(() -> dialed(attempt.id(), callControlId));
                } catch (CallControl.Refused e) {
                    log.warn("Dialling {} for attempt {} failed ({}): {}", lead.e164(), attempt.id(), e.fault(), e.getMessage());
                    lane.execute(() -> dialFailed(attempt.id(), lead, e));
                }
            });
        }
    }

    private void dialed(UUID attemptId, String callControlId) {
        engine.attempts().find(attemptId).filter(a -> a.callControlId() == null)
                .ifPresent(a -> engine.attempts().save(a.change(d -> d.callControlId = callControlId)));
    }

    /**
     * A refused dial. Only a fault of the number closes the lead; a rate limit or a fault of our account or
     * configuration is no property of the lead: the attempt is undone as if never made (the carrier placed no call),
     * and new dials wait for the rate limit's reset, or the campaign pauses with the carrier's reason.
     */
    private void dialFailed(UUID attemptId, Lead before, CallControl.Refused failure) {
        Optional<Attempt> found = engine.attempts().find(attemptId).filter(a -> a.state() == AttemptState.DIALING);
        if (found.isEmpty()) {
            return;
        }
        Attempt a = found.get();
        Instant now = clock.instant();
        switch (failure.fault()) {
            case NUMBER -> engine.step(a, machine.dialFailed(a, Outcome.DISCONNECTED, "carrier refused the number: " + failure.getMessage()));
            case UNAVAILABLE -> engine.step(a, machine.dialFailed(a, Outcome.NO_ANSWER, "carrier unavailable: " + failure.getMessage()));
            case RATE_LIMITED, ACCOUNT -> {
                Campaign campaign = engine.campaignOf(a);
                held.release(a.id());
                boolean paused = Boolean.TRUE.equals(transactions.execute(tx -> {
                    attempts.discard(a.id());
                    engine.attempts().forget(a.id());
                    leads.restore(before);
                    return failure.fault() == CallControl.Fault.ACCOUNT
                            && campaigns.setSwitch(campaign.id(), "paused", true, DialerEngine.CARRIER_REFUSED + failure.getMessage(), null, now);
                }));
                if (failure.fault() == CallControl.Fault.RATE_LIMITED) {
                    Instant until = failure.retryAt() == null ? now.plusSeconds(1) : failure.retryAt();
                    dialsHeldUntil = until.isAfter(dialsHeldUntil) ? until : dialsHeldUntil;
                    log.info("dials held until {}: carrier rate limit; lead {} keeps its attempts", dialsHeldUntil, before.id());
                } else if (paused) {
                    log.warn("campaign {} paused: {}", campaign.name(), failure.getMessage());
                }
            }
        }
    }
}
