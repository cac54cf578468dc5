package io.callcenter.call;

import java.time.Instant;
import java.util.UUID;

/** One channel of a call. Mutated only on the call's lane. */
final class Leg {

    enum Role { CALLER, CALLEE }

    final String channelId;
    final Role role;
    final String endpoint;
    final String number;
    final UUID agentId;
    final Instant createdAt;
    Instant answeredAt;
    Instant endedAt;
    Integer hangupCause;
    String hangupCauseText;
    /** Q.850 cause announced by ChannelHangupRequest, used when the leg ends with StasisEnd. */
    Integer requestedCause;
    /** Ring timeout of a dial waiting for this created channel to enter the application. */
    java.time.Duration pendingDial;
    /** Asterisk's DIALSTATUS for a callee leg that failed (BUSY, NOANSWER, ...), if it told us. */
    String dialStatus;
    /** Set once we asked Asterisk to hang this leg up, so we never do it twice. */
    boolean hangupRequested;

    Leg(String channelId, Role role, String endpoint, String number, UUID agentId, Instant createdAt) {
        this.channelId = channelId;
        this.role = role;
        this.endpoint = endpoint;
        this.number = number;
        this.agentId = agentId;
        this.createdAt = createdAt;
    }

    boolean live() {
        return endedAt == null;
    }

    void ended(Instant at, int cause, String causeText) {
        if (endedAt == null) {
            endedAt = at;
            hangupCause = cause;
            hangupCauseText = causeText;
        }
    }
}
