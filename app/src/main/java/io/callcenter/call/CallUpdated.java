package io.callcenter.call;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Published when anything an agent's screen shows of a call changes: its state, a party joining or leaving, the
 * recording being paused, a transfer moving on. Screens fetch the call for the details.
 */
public record CallUpdated(UUID callId, Set<UUID> agentIds, String state, String direction, String number,
                          String leadId, String hangupCause, String recordingState, String transferState) {

    public CallUpdated {
        agentIds = Set.copyOf(agentIds);
    }

    static CallUpdated of(Call call) {
        Set<UUID> agents = new LinkedHashSet<>();
        if (call.agentId != null) {
            agents.add(call.agentId);
        }
        call.legs.values().stream().filter(leg -> leg.agentId != null).forEach(leg -> agents.add(leg.agentId));
        String number = call.direction == Direction.INBOUND ? call.fromNumber : call.toNumber;
        return new CallUpdated(call.id, agents, call.state().name(), call.direction.dbValue(), number, call.leadId,
                call.hangupCause, call.recordingState(),
                call.transfer == null ? null : call.transfer.state().name().toLowerCase(java.util.Locale.ROOT));
    }
}
