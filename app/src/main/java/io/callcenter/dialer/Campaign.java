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
                       String pausedReason, Instant createdAt, Compliance compliance) {

    /**
     * @param startedAt    first switched on: the 30-day compliance periods are counted from here (null: not yet)
     * @param amdErrorRate share of people answering that detection is assumed to call machines; by the rule's
     *                     definition each is abandoned, so it is part of the target's budget
     * @param pacingNote   why pacing runs below the mode's ratio right now (null when it does not)
     */
    public record Compliance(Instant startedAt, double amdErrorRate, String pacingNote, SafeHarbor safeHarbor) {
        public static final Compliance DEFAULT = new Compliance(null, 0.01, null);

        public Compliance(Instant startedAt, double amdErrorRate, String pacingNote) {
            this(startedAt, amdErrorRate, pacingNote, SafeHarbor.NONE);
        }

        Compliance withPacingNote(String note) {
            return new Compliance(startedAt, amdErrorRate, note, safeHarbor);
        }
    }

    /**
     * What the safe-harbor message is checked against ({@link SafeHarborMessage}) and how it is played.
     *
     * @param sellerName     the seller the message must name
     * @param callbackNumber the number it must give (E.164)
     * @param optOutDigit    the key that puts the person on the do-not-call list while it plays
     * @param audioAt        when 8 kHz audio of it was uploaded for Asterisk to play (null: none, Asterisk plays its
     *                       configured stock sound)
     */
    public record SafeHarbor(String sellerName, String callbackNumber, String optOutDigit, Instant audioAt) {
        public static final SafeHarbor NONE = new SafeHarbor(null, null, "9", null);
    }

    /** The first day of the first 30-day period. */
    public Instant periodAnchor() {
        return compliance.startedAt() != null ? compliance.startedAt() : createdAt;
    }

    /**
     * Machine results go to agents like people when the assumed detection errors alone would use more than half the
     * target: hanging up on them would abandon people faster than pacing can make up for.
     */
    public boolean machinesToAgents() {
        return compliance.amdErrorRate() > targetAbandonRate * 0.5;
    }

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

    /**
     * The ratio in force. A preset is a ceiling: the guard keeps {@code adaptiveRatio} at or below it while the
     * period's abandon rate needs it, so every mode is steered by the rate.
     */
    public double ratio() {
        return dialMode.steered() ? adaptiveRatio : Math.min(dialMode.fixedRatio(), adaptiveRatio);
    }

    /** The lawful-by-construction text said when the message could not be (its own words if the fields are unset). */
    public String safeHarborFallback() {
        SafeHarbor h = compliance.safeHarbor();
        return h.sellerName() == null || h.callbackNumber() == null ? safeHarborMessage
                : SafeHarborMessage.fallback(h.sellerName(), h.callbackNumber(), h.optOutDigit());
    }

    /** Where the uploaded audio is kept, under Asterisk's recording directory. */
    public String safeHarborRecordingName() {
        return "dialer/safe-harbor-" + id;
    }

    /**
     * The media the call module plays to a person no agent could take: the campaign's uploaded recording of its
     * message, or null when none was uploaded (the call module then plays its configured sound).
     */
    public String safeHarborSound() {
        return compliance.safeHarbor().audioAt() == null ? null : "recording:" + safeHarborRecordingName();
    }
}
