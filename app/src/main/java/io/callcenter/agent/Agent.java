package io.callcenter.agent;

import java.util.UUID;

/** An agent; {@code extension} is also the id of the agent's PJSIP endpoint, aor and auth. */
public record Agent(UUID id, String extension, String displayName, UUID teamId) {

    public String sipEndpoint() {
        return "PJSIP/" + extension;
    }
}
