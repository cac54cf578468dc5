package io.callcenter.call.engine;

import io.callcenter.call.CallUpdated;
import io.callcenter.call.Direction;
import io.callcenter.call.model.Call;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** What agents' screens are told of a call when it changes. */
final class CallUpdates {

    private CallUpdates() {
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
                call.transfer == null ? null : call.transfer.state().name().toLowerCase(Locale.ROOT),
                call.queueName, call.queuedAt, call.menuPath, call.createdAt, call.answeredAt);
    }
}
