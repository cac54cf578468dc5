package io.callcenter.dialer;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The call engine's side of a dialled human. Telnyx transfers the person to {@code sip:attempt-<attemptId>@...};
 * the dialplan hands the channel to Stasis with the attempt id; the engine then:
 * <ol>
 *   <li>{@link #claim} — who takes the person: the agent already reserved for this attempt (AgentDirectory holds
 *   the reservation under the attempt id, so the agent shows ON_CALL and nobody else gets them). Empty when the
 *   attempt is no longer waiting for a connection (abandoned meanwhile, unknown): play the safe-harbor message and
 *   hang up;</li>
 *   <li>{@link #connected} once the person and the agent hear each other, or {@link #abandoned} if the agent could
 *   not be bridged (the engine plays {@code safeHarborSound} to the person, then hangs up).</li>
 * </ol>
 * The engine ends the agent's part with {@code AgentDirectory.callEnded(agentId, attemptId, endedAt, wrapUp)}: the
 * reservation key is the attempt id.
 */
public class DialerService {

    /**
     * @param leadName          the lead's name from the imported list (null if none), for the agent's screen
     * @param safeHarborSound   Asterisk sound name of the campaign's recorded safe-harbor message
     * @param safeHarborMessage its text (seller's name and a callback number)
     */
    public record Assignment(UUID attemptId, UUID campaignId, UUID teamId, UUID agentId, UUID leadId, String leadNumber,
                             String leadName, String safeHarborSound, String safeHarborMessage) {
    }

    private final DialerEngine engine;

    DialerService(DialerEngine engine) {
        this.engine = engine;
    }

    public Optional<Assignment> claim(UUID attemptId) {
        return engine.onLane(() -> engine.claim(attemptId));
    }

    public void connected(UUID attemptId, UUID callId, Instant at) {
        engine.onLane(() -> {
            engine.connected(attemptId, callId, at);
            return null;
        });
    }

    public void abandoned(UUID attemptId, Instant at, String reason) {
        engine.onLane(() -> {
            engine.abandoned(attemptId, at, reason);
            return null;
        });
    }

    /**
     * The agent's disposition of a dialled call becomes the lead's outcome (one code list): it decides whether and
     * when the lead is called again, e.g. CALLBACK per the campaign's retry rules, NOT_INTERESTED never.
     */
    public void dispositionGiven(UUID attemptId, String code) {
        engine.onLane(() -> {
            engine.dispositionGiven(attemptId, code);
            return null;
        });
    }
}
