package io.callcenter.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The call module's port for people a dialler reached and handed to us (the auto-dialer implements it; the call
 * module never names the dialer). The carrier transfers the person to {@code sip:attempt-<attemptId>@...}; the
 * dialplan hands the channel to Stasis with the attempt id, and the call then:
 * <ol>
 *   <li>{@link #claim}s the person: who takes them (the agent already reserved under the attempt id, so the agent
 *   shows ON_CALL and nobody else gets them). Empty when the attempt no longer waits for a connection (given up
 *   meanwhile, unknown): the person hears the safe-harbor message;</li>
 *   <li>reports {@link #connected} once person and agent hear each other, or {@link #abandoned} if no agent could be
 *   bridged;</li>
 *   <li>passes on the agent's {@link #dispositionGiven disposition}, which becomes the lead's outcome.</li>
 * </ol>
 * Implementations answer within {@link #ANSWER_WITHIN}; the call's lane never waits longer than that on them.
 */
public interface DialledLeads {

    /** The longest a call lane waits for {@link #claim}; past it the person is treated as unclaimed. */
    Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    /**
     * @param leadName          the lead's name from the imported list (null if none), for the agent's screen
     * @param safeHarborSound   Asterisk sound name of the campaign's recorded safe-harbor message
     * @param safeHarborMessage its text (seller's name, a call-back number, how to opt out)
     * @param optOutDigit       the key that puts the person on the do-not-call list while the message plays (null: none)
     * @param carrierEndsAt     when the carrier ends the call whatever we do (its time limit; null: no such cap), so
     *                          the agent is warned before it as before the talk-time limit
     */
    record Handover(UUID attemptId, UUID campaignId, UUID teamId, UUID agentId, UUID leadId, String leadNumber,
                    String leadName, String safeHarborSound, String safeHarborMessage, String optOutDigit,
                    Instant carrierEndsAt) {
        public Handover(UUID attemptId, UUID campaignId, UUID teamId, UUID agentId, UUID leadId, String leadNumber,
                        String leadName, String safeHarborSound, String safeHarborMessage, String optOutDigit) {
            this(attemptId, campaignId, teamId, agentId, leadId, leadNumber, leadName, safeHarborSound,
                    safeHarborMessage, optOutDigit, null);
        }

        /** The talk-time limit for this call: the team's, or less so that our warning and end come before the carrier's. */
        public long maxCallSeconds(long teamLimitSeconds, Instant answeredAt) {
            if (carrierEndsAt == null) {
                return teamLimitSeconds;
            }
            long beforeCarrier = Duration.between(answeredAt, carrierEndsAt).minus(CARRIER_MARGIN).toSeconds();
            return Math.max(1, Math.min(teamLimitSeconds, beforeCarrier));
        }
    }

    /** Our end comes this long before the carrier's, so the call is ended by us, recorded as a time limit. */
    Duration CARRIER_MARGIN = Duration.ofSeconds(15);

    Optional<Handover> claim(UUID attemptId);

    /**
     * The campaign's message for a person who cannot be claimed (the attempt was given up meanwhile): the sound our
     * Asterisk plays and the opt-out key it offers. Empty when the attempt is unknown.
     */
    Optional<SafeHarbor> safeHarbor(UUID attemptId);

    /** @param sound Asterisk sound name of the campaign's recorded message (null: none uploaded) */
    record SafeHarbor(String sound, String optOutDigit) {
    }

    void connected(UUID attemptId, UUID callId, Instant at);

    void abandoned(UUID attemptId, Instant at, String reason);

    /** The person pressed the opt-out key during the safe-harbor message: their number goes on the do-not-call list. */
    void optedOut(UUID attemptId, Instant at);

    /** Called for every disposition; ids that are not attempts are ignored. */
    void dispositionGiven(UUID attemptId, String code);

    /**
     * The call an agent places for a lead they were offered (a preview, or their callback once due): its id, under
     * which the agent is already held for that offer, so no queue or inbound call takes them between the offer and
     * their call. Empty when the agent holds no such offer: the call is placed like any other.
     */
    default Optional<UUID> offeredCall(UUID agentId, String leadId) {
        return Optional.empty();
    }

    /** No dialler in this deployment: nobody is ever claimed. */
    DialledLeads NONE = new DialledLeads() {
        @Override
        public Optional<Handover> claim(UUID attemptId) {
            return Optional.empty();
        }

        @Override
        public Optional<SafeHarbor> safeHarbor(UUID attemptId) {
            return Optional.empty();
        }

        @Override
        public void connected(UUID attemptId, UUID callId, Instant at) {
        }

        @Override
        public void abandoned(UUID attemptId, Instant at, String reason) {
        }

        @Override
        public void optedOut(UUID attemptId, Instant at) {
        }

        @Override
        public void dispositionGiven(UUID attemptId, String code) {
        }
    };
}
