package io.callcenter.dialer;

import java.time.Instant;
import java.util.UUID;

/** One dial of a lead and what became of it. */
public record Attempt(UUID id, UUID campaignId, UUID leadId, String e164, AttemptState state, Outcome outcome,
                      String detail, String callControlId, String amdResult, UUID agentId, UUID callId, Instant createdAt,
                      Instant answeredAt, Instant humanAt, Instant connectedAt, Instant endedAt) {

    static Attempt dialling(UUID id, UUID campaignId, UUID leadId, String e164, Instant now) {
        return new Attempt(id, campaignId, leadId, e164, AttemptState.DIALING, null, null, null, null, null, null, now,
                null, null, null, null);
    }

    Attempt withState(AttemptState next) {
        return new Attempt(id, campaignId, leadId, e164, next, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt);
    }

    Attempt withOutcome(Outcome value, String why) {
        return new Attempt(id, campaignId, leadId, e164, state, value, why, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt);
    }

    Attempt withCallControlId(String value) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, value, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt);
    }

    Attempt withAmdResult(String value) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, value, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt);
    }

    Attempt withAgent(UUID value) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, value, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt);
    }

    Attempt answered(Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt == null ? at : answeredAt, humanAt, connectedAt, endedAt);
    }

    Attempt human(Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, at, connectedAt, endedAt);
    }

    Attempt connected(UUID call, Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, call,
                createdAt, answeredAt, humanAt, at, endedAt);
    }

    Attempt ended(Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, at);
    }
}
