package io.callcenter.dialer;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One dial of a lead and what became of it.
 *
 * @param claimedAt       when the call module took the person over after the transfer (null: not yet)
 * @param messageFailures how often a message to this call ended without being heard to its end
 * @param tsr             what the Telemarketing Sales Rule's 2-second clock needs beyond the carrier's events
 */
public record Attempt(UUID id, UUID campaignId, UUID leadId, String e164, AttemptState state, Outcome outcome,
                      String detail, String callControlId, String amdResult, UUID agentId, UUID callId, Instant createdAt,
                      Instant answeredAt, Instant humanAt, Instant connectedAt, Instant endedAt, Instant claimedAt,
                      int messageFailures, Tsr tsr) {

    /**
     * @param greetingSilenceMillis the silence after a greeting that detection waits for (what we asked Telnyx for)
     * @param greetingEndedAt       the end of the person's greeting: detection's verdict minus that silence
     * @param detectionError        a machine result an agent or a later event showed to be a person
     */
    public record Tsr(Integer greetingSilenceMillis, Instant greetingEndedAt, boolean detectionError) {
        static final Tsr NONE = new Tsr(null, null, false);

        /** Detection decided at {@code at}: the greeting ended the configured silence before it. */
        Tsr greetingEndedBefore(Instant at) {
            return new Tsr(greetingSilenceMillis, at.minusMillis(greetingSilenceMillis == null ? 0 : greetingSilenceMillis),
                    detectionError);
        }
    }

    static Attempt dialling(UUID id, UUID campaignId, UUID leadId, String e164, Instant now) {
        return new Attempt(id, campaignId, leadId, e164, AttemptState.DIALING, null, null, null, null, null, null, now,
                null, null, null, null, null, 0, Tsr.NONE);
    }

    /** A lead offered to {@code agentId} in preview: nothing is dialled until the agent chooses Dial. */
    static Attempt previewing(UUID id, UUID campaignId, UUID leadId, String e164, UUID agentId, Instant now) {
        return new Attempt(id, campaignId, leadId, e164, AttemptState.PREVIEWING, null, null, null, null, agentId, null,
                now, null, null, null, null, null, 0, Tsr.NONE);
    }

    /** The one way to derive a changed attempt: edit a copy's fields. */
    Attempt change(Consumer<Draft> edit) {
        Draft draft = new Draft(this);
        edit.accept(draft);
        return draft.build();
    }

    /** A mutable copy; identity fields (id, campaign, lead, number, creation) never change. */
    static final class Draft {
        private final Attempt of;
        AttemptState state;
        Outcome outcome;
        String detail;
        String callControlId;
        String amdResult;
        UUID agentId;
        UUID callId;
        Instant answeredAt;
        Instant humanAt;
        Instant connectedAt;
        Instant endedAt;
        Instant claimedAt;
        int messageFailures;
        Tsr tsr;

        private Draft(Attempt a) {
            of = a;
            state = a.state;
            outcome = a.outcome;
            detail = a.detail;
            callControlId = a.callControlId;
            amdResult = a.amdResult;
            agentId = a.agentId;
            callId = a.callId;
            answeredAt = a.answeredAt;
            humanAt = a.humanAt;
            connectedAt = a.connectedAt;
            endedAt = a.endedAt;
            claimedAt = a.claimedAt;
            messageFailures = a.messageFailures;
            tsr = a.tsr;
        }

        private Attempt build() {
            return new Attempt(of.id, of.campaignId, of.leadId, of.e164, state, outcome, detail, callControlId, amdResult,
                    agentId, callId, of.createdAt, answeredAt, humanAt, connectedAt, endedAt, claimedAt, messageFailures, tsr);
        }
    }
}
