package io.callcenter.call;

import java.util.Set;
import java.util.UUID;

/**
 * Published when anything an agent's screen shows of a call changes: its state, a party joining or leaving, the
 * recording being paused, a transfer moving on. Screens fetch the call for the details. {@code createdAt} and
 * {@code answeredAt} (null until answered) travel with it because the call's row is written behind its steps: a
 * listener reading it at once (the setup-time metric did) could find it not written yet.
 */
public record CallUpdated(UUID callId, Set<UUID> agentIds, String state, String direction, String number,
                          String leadId, String hangupCause, String recordingState, String transferState,
                          String queue, java.time.Instant queuedAt, java.util.List<String> menuPath,
                          java.time.Instant createdAt, java.time.Instant answeredAt) {

    public CallUpdated {
        agentIds = Set.copyOf(agentIds);
        menuPath = java.util.List.copyOf(menuPath);
    }
}
