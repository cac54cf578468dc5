package io.callcenter.dialer;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Scheduled callbacks: an agent promises a person a call at a time on the person's wall clock, for themselves or for
 * anyone on the campaign; the agent's come back to them as a preview, the campaign's join the dial list first.
 */
@Component
class Callbacks {

    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final CallbackRepository callbacks;
    private final AttemptRepository attempts;
    private final LeadRepository leads;
    private final CampaignRepository campaigns;
    private final TeamAgents agents;
    private final DialerProperties properties;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final AgentOffers offers;

    Callbacks(CallbackRepository callbacks, AttemptRepository attempts, LeadRepository leads, CampaignRepository campaigns,
              TeamAgents agents, DialerProperties properties, Clock dialerClock, ScheduledExecutorService dialerTimers,
              AgentOffers offers) {
        this.timers = dialerTimers;
        this.offers = offers;
        this.callbacks = callbacks;
        this.attempts = attempts;
        this.leads = leads;
        this.campaigns = campaigns;
        this.agents = agents;
        this.properties = properties;
        this.clock = dialerClock;
    }

    /**
     * @param callId the dialled call the agent took (its id is the attempt's)
     * @param at     the person's local time, ISO ({@code 2026-03-03T14:30})
     * @param owner  {@code AGENT} (default) or {@code CAMPAIGN}
     */
    record Request(UUID callId, String at, String owner) {
    }

    /**
     * What the agent's page and the console show of a callback.
     *
     * @param localTime   the time as the person said it, on their wall clock ({@code zone})
     * @param due         its time has come (and it is not settled)
     * @param previousAttempts how often the lead was dialled so far
     */
    record View(UUID id, UUID leadId, UUID campaignId, String leadName, String number, Instant dueAt, String localTime,
                String zone, String owner, UUID ownerAgentId, String status, boolean due, int previousAttempts,
                String lastOutcome) {
    }

    @Transactional
    View schedule(Caller caller, Request request) {
        caller.require(Permissions.CALLS_HISTORY);
        UUID agentId = caller.requireAgent();
        if (request == null || request.callId() == null) {
            throw ApiProblem.badRequest("callId is required");
        }
        Attempt attempt = attempts.find(request.callId()).filter(a -> agentId.equals(a.agentId()))
                .orElseThrow(() -> ApiProblem.notFound("No dialled call " + request.callId() + " of yours"));
        CallbackRequest.Owner owner;
        LocalDateTime local;
        try {
            owner = request.owner() == null ? CallbackRequest.Owner.AGENT
                    : CallbackRequest.Owner.valueOf(request.owner().toUpperCase(java.util.Locale.ROOT));
            local = LocalDateTime.parse(request.at() == null ? "" : request.at());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ApiProblem.badRequest("at must be a local date-time (2026-03-03T14:30) and owner AGENT or CAMPAIGN");
        }
        Lead lead = leads.find(attempt.leadId()).orElseThrow();
        Campaign campaign = campaigns.find(attempt.campaignId()).orElseThrow();
        Instant now = clock.instant();
        CallbackRequest.Decision decision = CallbackRequest.decide(lead, local, campaign.callingHours(),
                properties.lawfulHours(), now);
        if (!decision.accepted()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "callback-outside-calling-hours", "Callback time refused",
                    decision.refusal());
        }
        var callback = new CallbackRepository.Callback(UUID.randomUUID(), lead.id(), campaign.id(), attempt.id(),
                decision.dueAt(), decision.zone().getId(),
                CallbackRequest.ownerAgent(owner, agentId).orElse(null), "PENDING", now);
        callbacks.schedule(callback, agentId);
        log.info("lead {} of campaign {}: callback at {} ({} {}) for {}", lead.id(), campaign.name(), decision.dueAt(),
                local, decision.zone(), owner);
        return view(callback, lead, now);
    }

    /** The agent's own callbacks: open and recently missed, with those due marked (and offered). */
    List<View> mine(Caller caller) {
        caller.require(Permissions.CALLS_HISTORY);
        UUID agentId = caller.requireAgent();
        Instant now = clock.instant();
        return callbacks.ofAgent(agentId, now).stream()
                .map(c -> view(c, leads.find(c.leadId()).orElseThrow(), now)).toList();
    }

    /** The agent dials their callback (preview): settled, and the page places the call with the lead's id. */
    @Transactional
    View dial(Caller caller, UUID callbackId) {
        caller.require(Permissions.CALLS_DIAL);
        UUID agentId = caller.requireAgent();
        Instant now = clock.instant();
        var callback = callbacks.find(callbackId).filter(c -> agentId.equals(c.ownerAgentId()))
                .orElseThrow(() -> ApiProblem.notFound("No callback " + callbackId + " of yours"));
        if (!callbacks.done(callbackId, now)) {
            throw ApiProblem.conflict("callback-settled", "Callback settled", "The callback is " + callback.status());
        }
        leads.finish(callback.leadId(), Outcome.CALLBACK, null);
        Lead lead = leads.find(callback.leadId()).orElseThrow();
        return view(callbacks.find(callbackId).orElseThrow(), lead, now);
    }

    List<View> ofCampaign(Campaign campaign, String status) {
        if (status != null && !Set.of("PENDING", "OFFERED", "DONE", "MISSED", "CANCELLED").contains(status)) {
            throw ApiProblem.badRequest("status must be PENDING, OFFERED, DONE, MISSED or CANCELLED");
        }
        Instant now = clock.instant();
        return callbacks.ofCampaign(campaign.id(), status, 500).stream()
                .map(c -> view(c, leads.find(c.leadId()).orElseThrow(), now)).toList();
    }

    /** How often due callbacks are looked at: an offer and a miss come at most this late. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (properties.enabled()) {
            timers.scheduleWithFixedDelay(() -> {
                try {
                    sweep();
                } catch (RuntimeException e) {
                    log.error("Callback sweep failed", e);
                }
            }, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Offers due agents' callbacks to their agents once available, holding the agent for it (pushed to their page)
     * for at most {@link AttemptTimeouts#PREVIEW}, and lets the ones left too long go to the campaign.
     */
    void sweep() {
        Instant now = clock.instant();
        offers.expireCallbacks(now, AttemptTimeouts.PREVIEW);
        for (var c : callbacks.agentsDue(now)) {
            Lead lead = leads.find(c.leadId()).orElseThrow();
            Campaign campaign = campaigns.find(c.campaignId()).orElse(null);
            boolean available = campaign != null && agents.available(campaign.teamId()).contains(c.ownerAgentId());
            switch (CallbackDue.next(c.dueAt(), "OFFERED".equals(c.status()), available, now)) {
                case OFFER -> {
                    if (offers.hold(c.ownerAgentId(), card(c, campaign, lead, now), now)) {
                        callbacks.offered(c.id());
                    }
                }
                case MISS -> {
                    offers.release(c.ownerAgentId(), c.id());
                    callbacks.missed(c.id(), now);
                    log.info("callback {} for lead {} missed by agent {}: the campaign calls", c.id(), lead.id(),
                            c.ownerAgentId());
                }
                case WAIT -> {
                }
            }
        }
    }

    /** The preview card of a due callback: the same card as a PREVIEW campaign's lead, without Skip. */
    private AgentOffer card(CallbackRepository.Callback c, Campaign campaign, Lead lead, Instant now) {
        List<AgentOffer.PastAttempt> before = AgentOffer.history(attempts.byLead(lead.id()), c.id());
        return new AgentOffer("CALLBACK", c.id(), campaign.id(), campaign.name(), lead.id(), lead.name(), lead.e164(),
                lead.externalId(), c.zone(), leads.fields(lead.id()), before, now.plus(AttemptTimeouts.PREVIEW));
    }

    private static View view(CallbackRepository.Callback c, Lead lead, Instant now) {
        ZoneId zone = ZoneId.of(c.zone());
        boolean open = "PENDING".equals(c.status()) || "OFFERED".equals(c.status());
        return new View(c.id(), c.leadId(), c.campaignId(), lead.name(), lead.e164(), c.dueAt(),
                c.dueAt().atZone(zone).toLocalDateTime().toString(), c.zone(),
                c.ownerAgentId() == null ? "CAMPAIGN" : "AGENT", c.ownerAgentId(), c.status(),
                open && !now.isBefore(c.dueAt()), lead.attempts(), lead.lastOutcome() == null ? null : lead.lastOutcome().name());
    }
}
