package io.callcenter.dialer;

import java.time.Instant;
import java.util.UUID;

/**
 * A campaign: whom it dials for (a team, whose available agents take the humans), with which caller ID, how hard
 * and when. {@code enabled} is the manager's switch; {@code paused} is the system's (no agent of the team working).
 */
public record Campaign(UUID id, String name, UUID teamId, String callerIdNumber, DialMode dialMode, double adaptiveRatio,
                       double targetAbandonRate, CallingHours callingHours, RetryRules retry,
                       VoicemailPolicy voicemailPolicy, String voicemailMessage, String amdMode,
                       String safeHarborMessage, boolean enabled, String enabledReason, boolean paused,
                       String pausedReason, Instant createdAt) {

    public enum VoicemailPolicy {
        HANGUP, LEAVE_MESSAGE;

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static VoicemailPolicy fromDb(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public boolean dials() {
        return enabled && !paused;
    }

    public double ratio() {
        return dialMode == DialMode.ADAPTIVE ? adaptiveRatio : dialMode.fixedRatio();
    }

    /** The sound the engine plays to a person no agent could take: named after the campaign, made by operators. */
    public String safeHarborSound() {
        return "dialer/safe-harbor-" + id;
    }
}
