package io.callcenter.call.model;

import java.time.Instant;
import java.util.UUID;

/** One channel of a call. Mutated only on the call's lane. */
public final class Leg {

    /**
     * CALLER and CALLEE make the call; a PARTICIPANT was added later (conference); a TRANSFER_TARGET is whom a
     * transfer goes to.
     */
    public enum Role { CALLER, CALLEE, PARTICIPANT, TRANSFER_TARGET }

    public final String channelId;
    public final Role role;
    public final String endpoint;
    public final String number;
    public final UUID agentId;
    public final Instant createdAt;
    public Instant answeredAt;
    public Instant endedAt;
    public Integer hangupCause;
    public String hangupCauseText;
    /** Q.850 cause announced by ChannelHangupRequest, used when the leg ends with StasisEnd. */
    public Integer requestedCause;
    /**
     * Originated and not yet in our application: it enters (StasisStart) only once answered, so it cannot join a
     * bridge before that, and its answer is taken from its StasisStart rather than from its ringing events.
     */
    public boolean outsideApplication;
    /** Asterisk's DIALSTATUS for a callee leg that failed (BUSY, NOANSWER, ...), if it told us. */
    public String dialStatus;
    /** Set once we asked Asterisk to hang this leg up, so we never do it twice. */
    public boolean hangupRequested;
    /** In the call's main bridge, talking with the others. */
    public boolean joined;
    /** When the leg first joined the conversation. */
    public Instant joinedAt;
    /** Out of the main bridge, talking to a transfer target in a consultation. */
    public boolean consulting;
    /** Answered and hearing the recording announcement before joining (playback id), else null. */
    public String joiningPlaybackId;
    /** Why the leg left when we made it leave (e.g. "transferred"); "hung_up" or "failed" otherwise. */
    public String leaveReason;

    public Leg(String channelId, Role role, String endpoint, String number, UUID agentId, Instant createdAt) {
        this.channelId = channelId;
        this.role = role;
        this.endpoint = endpoint;
        this.number = number;
        this.agentId = agentId;
        this.createdAt = createdAt;
    }

    public boolean live() {
        return endedAt == null;
    }

    public void joinedAt(Instant at) {
        joined = true;
        if (joinedAt == null) {
            joinedAt = at;
        }
    }

    public void ended(Instant at, int cause, String causeText) {
        if (endedAt == null) {
            endedAt = at;
            hangupCause = cause;
            hangupCauseText = causeText;
            if (leaveReason == null) {
                leaveReason = hangupRequested ? "removed" : answeredAt == null ? "failed" : "hung_up";
            }
            joined = false;
            joiningPlaybackId = null;
        }
    }

    /** Present in the conversation, or about to be (hearing the announcement before joining). */
    public boolean present() {
        return live() && (joined || joiningPlaybackId != null || consulting);
    }
}
