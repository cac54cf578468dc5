package io.callcenter.dialer;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an agent is offered to dial, shown on their page as the preview card: a lead of a PREVIEW campaign (Dial or
 * Skip) or their own callback whose time has come (Dial). The agent is held for it while it stands.
 *
 * @param kind             {@code PREVIEW} or {@code CALLBACK}
 * @param id               the offer: the preview's attempt, or the callback
 * @param fields           the lead list's other columns (notes and the like), in the list's order
 * @param previousAttempts the lead's earlier calls, oldest first
 * @param expiresAt        when the agent is released and the lead goes back, if they neither dial nor skip
 */
public record AgentOffer(String kind, UUID id, UUID campaignId, String campaignName, UUID leadId, String leadName,
                         String number, String externalId, String zone, java.util.Map<String, String> fields,
                         List<PastAttempt> previousAttempts,
                         Instant expiresAt) {

    /** @param outcome null while the attempt was not an actual call (a skipped preview) */
    public record PastAttempt(Instant at, String outcome, String detail) {
    }

    /** The lead's calls so far, oldest first, without the offer's own attempt. */
    static List<PastAttempt> history(List<Attempt> attempts, UUID except) {
        return attempts.stream().filter(a -> !a.id().equals(except))
                .map(a -> new PastAttempt(a.createdAt(), a.outcome() == null ? null : a.outcome().name(), a.detail()))
                .toList();
    }

    /**
     * Published when an agent's offer appears ({@code offer} set) or ends ({@code offer} null: dialled, skipped, timed
     * out): the agent's page is told over its socket instead of asking.
     */
    public record Changed(UUID agentId, AgentOffer offer) {
    }
}
