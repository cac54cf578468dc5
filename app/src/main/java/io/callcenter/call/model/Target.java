package io.callcenter.call.model;

import java.util.Map;
import java.util.UUID;

/** What to ring for a participant or a transfer: an endpoint with the caller ID the far end should see. */
public record Target(String endpoint, String number, UUID agentId, Map<String, String> variables, String description) {
    public Target {
        variables = Map.copyOf(variables);
    }
}
