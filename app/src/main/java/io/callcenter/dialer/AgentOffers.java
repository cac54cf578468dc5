package io.callcenter.dialer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents held for what they are offered (a preview lead, a due callback): the agent module's reservation under
 * the offer's id keeps queue and inbound calls away while the agent decides, and the call they then place takes the
 * reservation over ({@link #takeOver}). One offer per agent. Every change is pushed to the agent's page
 * ({@link AgentOffer.Changed}). Holds live in memory: after a restart the offers' own timeouts clean up.
 */
@Component
class AgentOffers {

    private record Hold(AgentOffer offer, Instant since) {
        UUID offerId() {
            return offer.id();
        }

        boolean callback() {
            return "CALLBACK".equals(offer.kind());
        }
    }

    private final TeamAgents agents;
    private final ApplicationEventPublisher events;
    private final Map<UUID, Hold> byAgent = new ConcurrentHashMap<>();

    AgentOffers(TeamAgents agents, ApplicationEventPublisher events) {
        this.agents = agents;
        this.events = events;
    }

    /** Holds the agent for the offer and shows it on their page; false when another call or offer has them. */
    boolean hold(UUID agentId, AgentOffer offer, Instant now) {
        if (byAgent.containsKey(agentId) || !agents.tryReserve(agentId, offer.id())) {
            return false;
        }
        byAgent.put(agentId, new Hold(offer, now));
        events.publishEvent(new AgentOffer.Changed(agentId, offer));
        return true;
    }

    /** Ends the agent's part in {@code offerId} without a call: released, and the card leaves their page. */
    void release(UUID agentId, UUID offerId) {
        Hold hold = byAgent.get(agentId);
        if (hold != null && hold.offerId().equals(offerId) && byAgent.remove(agentId, hold)) {
            events.publishEvent(new AgentOffer.Changed(agentId, null));
        }
        agents.release(agentId, offerId);
    }

    /** What the agent is offered now, if anything (their page asks when it opens; changes are pushed). */
    Optional<AgentOffer> current(UUID agentId) {
        return Optional.ofNullable(byAgent.get(agentId)).map(Hold::offer);
    }

    /** The offer the agent is held for, if it is for this lead. */
    Optional<UUID> offerFor(UUID agentId, UUID leadId) {
        Hold hold = byAgent.get(agentId);
        return hold != null && hold.offer().leadId().equals(leadId) ? Optional.of(hold.offerId()) : Optional.empty();
    }

    /**
     * The agent's call for the offered lead: the reservation is the call's from now on (the call's id is the offer's),
     * so the offer lets go of it without releasing it.
     */
    void takeOver(UUID agentId, UUID offerId) {
        Hold hold = byAgent.get(agentId);
        if (hold != null && hold.offerId().equals(offerId) && byAgent.remove(agentId, hold)) {
            events.publishEvent(new AgentOffer.Changed(agentId, null));
        }
    }

    /**
     * Callback offers standing longer than {@code timeout}: their agents are freed (the callback stays listed as due,
     * and can still be dialled from the list).
     */
    void expireCallbacks(Instant now, Duration timeout) {
        byAgent.forEach((agentId, hold) -> {
            if (hold.callback() && !now.isBefore(hold.since().plus(timeout))) {
                release(agentId, hold.offerId());
            }
        });
    }
}
