package io.callcenter.agent;

import java.util.UUID;

/** An agent; {@code extension} is also the id of the agent's PJSIP endpoint, aor and auth. */
public record Agent(UUID id, String extension, String displayName, UUID teamId, Phone phone) {

    /** What the agent's phone is: Asterisk needs a different endpoint for each (see migration V2). */
    public enum Phone {
        WEBRTC, SIP;

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Phone fromDb(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public String sipEndpoint() {
        return "PJSIP/" + extension;
    }
}
