package io.callcenter.call.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A call as the REST API shows it. {@code number} is the other party as the agent sees it (the caller of an inbound
 * call, the dialled number otherwise); {@code recordingUrl} is set once a recording exists. {@code recordingState}
 * ("recording", "paused", null) and {@code transfer} are the call's present, for agents' screens; the event log is
 * its history. {@code recordingFailed}: the team records calls and this call's recording failed to start or failed
 * later, so it is not (wholly) recorded.
 */
public record CallView(
        UUID id,
        String direction,
        String state,
        String number,
        String fromNumber,
        String toNumber,
        String leadId,
        UUID agentId,
        UUID teamId,
        Instant createdAt,
        Instant answeredAt,
        Instant endedAt,
        String hangupCause,
        Integer durationSeconds,
        String disposition,
        String dispositionNote,
        String recordingUrl,
        String recordingState,
        boolean recordingFailed,
        TransferView transfer,
        List<LegView> legs,
        List<EventView> events) {

    public record LegView(String channelId, String role, String endpoint, String number, UUID agentId,
                          Instant createdAt, Instant answeredAt, Instant endedAt, Integer hangupCause,
                          String hangupCauseText, String leaveReason, Instant joinedAt) {
    }

    /** {@code mode} blind or attended; {@code state} dialling, consulting, completed, cancelled or failed. */
    public record TransferView(String mode, String state, String target) {
    }

    public record EventView(Instant occurredAt, String fromState, String toState, String event, String detail) {
    }
}
