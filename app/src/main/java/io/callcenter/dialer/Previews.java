package io.callcenter.dialer;

import io.callcenter.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionOperations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * PREVIEW campaigns: the campaign dials nothing; each available agent of its team is offered the next due lead,
 * held for it ({@link AgentOffers}, the same hold and card as a due callback's), and chooses Dial or Skip. Dial goes
 * through the guard every mode goes through (do-not-call, calling hours) and then the agent's page places the call
 * as for a callback ({@code POST /api/calls} with the lead's id), which takes the hold over; the agent's disposition
 * ends the attempt. Skip, a lapsed preview or a call never placed puts the lead back on the list. Lane only.
 */
final class Previews {

    private static final Logger log = LoggerFactory.getLogger(Previews.class);
    /** A lead skipped, lapsed or outside its hours is offered again no sooner than this. */
    static final Duration RETURNED_LEAD_WAIT = Duration.ofMinutes(15);
    static final int MAX_REASON = 200;

    private final DialerEngine engine;
    private final LeadRepository leads;
    private final AttemptRepository attempts;
    private final TeamAgents agents;
    private final DoNotCall doNotCall;
    private final AgentOffers offers;
    private final TransactionOperations transactions;
    private final DialerProperties properties;

    Previews(DialerEngine engine, LeadRepository leads, AttemptRepository attempts, TeamAgents agents,
             DoNotCall doNotCall, AgentOffers offers, TransactionOperations transactions, DialerProperties properties) {
        this.engine = engine;
        this.leads = leads;
        this.attempts = attempts;
        this.agents = agents;
        this.doNotCall = doNotCall;
        this.offers = offers;
        this.transactions = transactions;
        this.properties = properties;
    }

    /** Offers due leads to the team's available agents, longest idle first, one lead each. */
    void offer(Campaign campaign, Instant now) {
        Deque<UUID> free = new ArrayDeque<>(agents.available(campaign.teamId()));
        if (free.isEmpty()) {
            return;
        }
        for (Lead lead : leads.due(campaign.id(), now, free.size() * 4 + 10)) {
            if (free.isEmpty()) {
                break;
            }
            if (doNotCall.contains(lead.e164())) {
                leads.finish(lead.id(), Outcome.DO_NOT_CALL, null);
                log.info("lead {} of campaign {} is on the do-not-call list: closed", lead.id(), campaign.name());
                continue;
            }
            if (!allowedNow(campaign, lead.e164(), lead.timeZone(), now)) {
                leads.postpone(lead.id(), now.plus(DialerEngine.OUTSIDE_HOURS_RECHECK));
                continue;
            }
            UUID agent = free.poll();
            Attempt attempt = Attempt.previewing(UUID.randomUUID(), campaign.id(), lead.id(), lead.e164(), agent, now);
            AgentOffer card = card(attempt, campaign, lead);
            if (!offers.hold(agent, card, now)) {
                continue;
            }
            boolean claimed = Boolean.TRUE.equals(transactions.execute(tx -> {
                if (attempts.numberBusy(lead.e164()) || !leads.markDialing(lead.id(), now)) {
                    return false;
                }
                engine.attempts().insert(attempt);
                attempts.log(attempt.id(), List.of(new AttemptMachine.Transition(null, AttemptState.PREVIEWING,
                        "offered", "agent " + agent + " held; attempt " + (lead.attempts() + 1), now)));
                return true;
            }));
            if (!claimed) {
                offers.release(agent, attempt.id());
                free.push(agent);
                continue;
            }
            log.info("attempt {}: lead {} of campaign {} offered to agent {} (preview)", attempt.id(), lead.id(),
                    campaign.name(), agent);
        }
    }

    /** The agent chose Dial: checked by the guard, then their page places the call. */
    AgentOffer dial(UUID agentId, UUID attemptId, Instant now) {
        Attempt attempt = previewing(agentId, attemptId);
        Campaign campaign = engine.campaignOf(attempt);
        Lead lead = leads.find(attempt.leadId()).orElseThrow();
        if (doNotCall.contains(attempt.e164())) {
            engine.step(attempt, engine.machine().previewRefused(attempt, Outcome.DO_NOT_CALL, "on the do-not-call list", now));
            throw new ApiProblem(HttpStatus.CONFLICT, "do-not-call", "Number on the do-not-call list",
                    attempt.e164() + " was put on the do-not-call list since the preview began; the lead is closed");
        }
        if (!allowedNow(campaign, attempt.e164(), lead.timeZone(), now)) {
            engine.step(attempt, engine.machine().previewReturned(attempt, "outside calling hours",
                    "the lead's calling hours ended during the preview", now));
            throw new ApiProblem(HttpStatus.CONFLICT, "outside-calling-hours", "Outside calling hours",
                    "It is outside the campaign's or the law's calling hours for " + attempt.e164() + "; the lead goes back");
        }
        engine.step(attempt, engine.machine().previewDialled(attempt, now));
        return card(attempt, campaign, lead);
    }

    void skip(UUID agentId, UUID attemptId, String reason, Instant now) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        if (why.length() > MAX_REASON) {
            throw ApiProblem.badRequest("reason is longer than " + MAX_REASON + " characters");
        }
        Attempt attempt = previewing(agentId, attemptId);
        engine.step(attempt, engine.machine().previewReturned(attempt, "skipped", why, now));
    }

    /**
     * The agent's call for the lead they are held for: a preview's once they chose Dial, a callback's at any time.
     * Its id is the offer's; empty when the agent holds no such offer (the call is then placed like any other).
     */
    Optional<UUID> handOver(UUID agentId, UUID leadId, Instant now) {
        Optional<UUID> offer = offers.offerFor(agentId, leadId);
        if (offer.isEmpty()) {
            return offer;
        }
        Optional<Attempt> attempt = attempts.find(offer.get());
        if (attempt.isPresent()) {
            if (attempt.get().state() != AttemptState.PLACED) {
                return Optional.empty();
            }
            engine.step(attempt.get(), engine.machine().previewCallPlaced(attempt.get(), offer.get(), now));
        }
        offers.takeOver(agentId, offer.get());
        return offer;
    }

    /** Back on the list as if never offered: the offer was no attempt at the person. */
    void returnLead(Attempt attempt, String why, Instant now) {
        leads.returnToList(attempt.leadId(), now.plus(RETURNED_LEAD_WAIT));
        log.info("attempt {}: lead {} back on the list ({})", attempt.id(), attempt.leadId(), why);
    }

    private Attempt previewing(UUID agentId, UUID attemptId) {
        Attempt attempt = attempts.find(attemptId).filter(a -> agentId.equals(a.agentId()))
                .orElseThrow(() -> ApiProblem.notFound("No preview " + attemptId + " of yours"));
        if (attempt.state() != AttemptState.PREVIEWING) {
            throw ApiProblem.conflict("preview-settled", "Preview settled", "The preview is " + attempt.state()
                    + (attempt.detail() == null ? "" : " (" + attempt.detail() + ")"));
        }
        return attempt;
    }

    private boolean allowedNow(Campaign campaign, String e164, String timeZone, Instant now) {
        return campaign.callingHours().allows(now, CallingHours.zonesFor(e164, timeZone), properties.lawfulHours());
    }

    private AgentOffer card(Attempt attempt, Campaign campaign, Lead lead) {
        List<AgentOffer.PastAttempt> before = AgentOffer.history(attempts.byLead(lead.id()), attempt.id());
        return new AgentOffer("PREVIEW", attempt.id(), campaign.id(), campaign.name(), lead.id(), lead.name(), lead.e164(),
                lead.externalId(), CallingHours.zonesFor(lead.e164(), lead.timeZone()).stream().findFirst()
                        .map(java.time.ZoneId::getId).orElse(null), leads.fields(lead.id()), before,
                attempt.createdAt().plus(AttemptTimeouts.PREVIEW));
    }
}
