package io.callcenter.call;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A call as the REST API shows it. {@code number} is the other party as the agent sees it (the caller of an inbound
 * call, the dialled number otherwise); {@code recordingUrl} is set once a recording exists.
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
        List<LegView> legs,
        List<EventView> events) {

    public record LegView(String channelId, String role, String endpoint, String number, UUID agentId,
                          Instant createdAt, Instant answeredAt, Instant endedAt, Integer hangupCause,
                          String hangupCauseText, String leaveReason) {
    }

    public record EventView(Instant occurredAt, String fromState, String toState, String event, String detail) {
    }
}
