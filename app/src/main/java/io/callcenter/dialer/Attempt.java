package io.callcenter.dialer;

import java.time.Instant;
import java.util.UUID;

/** One dial of a lead and what became of it. */
public record Attempt(UUID id, UUID campaignId, UUID leadId, String e164, AttemptState state, Outcome outcome,
                      String detail, String callControlId, String amdResult, UUID agentId, UUID callId, Instant createdAt,
                      Instant answeredAt, Instant humanAt, Instant connectedAt, Instant endedAt, Tsr tsr) {

    /**
     * What the Telemarketing Sales Rule's 2-second clock needs beyond the carrier's events.
     *
     * @param greetingSilenceMillis the silence after a greeting that detection waits for (what we asked Telnyx for)
     * @param greetingEndedAt       the end of the person's greeting: detection's verdict minus that silence
     * @param detectionError        a machine result an agent or a later event showed to be a person
     */
    public record Tsr(Integer greetingSilenceMillis, Instant greetingEndedAt, boolean detectionError) {
        static final Tsr NONE = new Tsr(null, null, false);
    }

    static Attempt dialling(UUID id, UUID campaignId, UUID leadId, String e164, Instant now) {
        return new Attempt(id, campaignId, leadId, e164, AttemptState.DIALING, null, null, null, null, null, null, now,
                null, null, null, null, Tsr.NONE);
    }

    Attempt withState(AttemptState next) {
        return new Attempt(id, campaignId, leadId, e164, next, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt, tsr);
    }

    Attempt withOutcome(Outcome value, String why) {
        return new Attempt(id, campaignId, leadId, e164, state, value, why, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt, tsr);
    }

    Attempt withCallControlId(String value) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, value, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt, tsr);
    }

    Attempt withAmdResult(String value) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, value, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt, tsr);
    }

    Attempt withAgent(UUID value) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, value, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt, tsr);
    }

    Attempt answered(Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt == null ? at : answeredAt, humanAt, connectedAt, endedAt, tsr);
    }

    Attempt human(Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, at, connectedAt, endedAt, tsr);
    }

    Attempt connected(UUID call, Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, call,
                createdAt, answeredAt, humanAt, at, endedAt, tsr);
    }

    Attempt ended(Instant at) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, at, tsr);
    }

    Attempt withTsr(Tsr value) {
        return new Attempt(id, campaignId, leadId, e164, state, outcome, detail, callControlId, amdResult, agentId, callId,
                createdAt, answeredAt, humanAt, connectedAt, endedAt, value);
    }

    /** Detection decided at {@code at}: the greeting ended the configured silence before it. */
    Attempt greetingEnded(Instant at) {
        int silence = tsr.greetingSilenceMillis() == null ? 0 : tsr.greetingSilenceMillis();
        return withTsr(new Tsr(tsr.greetingSilenceMillis(), at.minusMillis(silence), tsr.detectionError()));
    }
}
