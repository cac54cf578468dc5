package io.callcenter.dialer;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a dial attempt is. The carrier's events move it forward only; an event that would move it back is stale
 * (delivered out of order) and ignored, a move not listed here is a bug and throws.
 */
public enum AttemptState {
    /**
     * Preview mode: the lead is shown to the agent, who is held for it; nothing is dialled until they choose Dial
     * (then {@link #PLACED}) or Skip (then ENDED, the lead back on the list).
     */
    PREVIEWING,
    /** The previewing agent chose Dial: the call is theirs, placed from their phone; the disposition ends it. */
    PLACED,
    /** The dial command is sent; nothing heard back yet. */
    DIALING,
    RINGING,
    /** Answered; answering-machine detection is listening. */
    ANSWERED,
    /** A person answered; an agent must be connected within 2 seconds. */
    HUMAN,
    /** An agent is reserved and the carrier is transferring the person to our Asterisk. */
    TRANSFERRING,
    CONNECTED,
    /** A machine answered; waiting for the end of its greeting to leave the message. */
    MACHINE,
    LEAVING_MESSAGE,
    /**
     * No agent in time: the person hears the campaign's safe-harbor message (seller's name, callback number), as the
     * TSR requires of an abandoned call, then we hang up.
     */
    SAFE_HARBOR,
    /** We decided the outcome and asked the carrier to hang up. */
    HANGING_UP,
    ENDED;

    private Set<AttemptState> next;

    static {
        PREVIEWING.next = EnumSet.of(PLACED, ENDED);
        PLACED.next = EnumSet.of(ENDED);
        DIALING.next = EnumSet.of(RINGING, ANSWERED, HANGING_UP, ENDED);
        RINGING.next = EnumSet.of(ANSWERED, HANGING_UP, ENDED);
        ANSWERED.next = EnumSet.of(HUMAN, MACHINE, HANGING_UP, ENDED);
        HUMAN.next = EnumSet.of(TRANSFERRING, SAFE_HARBOR, HANGING_UP, ENDED);
        TRANSFERRING.next = EnumSet.of(CONNECTED, SAFE_HARBOR, HANGING_UP, ENDED);
        SAFE_HARBOR.next = EnumSet.of(HANGING_UP, ENDED);
        CONNECTED.next = EnumSet.of(ENDED);
        MACHINE.next = EnumSet.of(LEAVING_MESSAGE, HANGING_UP, ENDED);
        LEAVING_MESSAGE.next = EnumSet.of(HANGING_UP, ENDED);
        HANGING_UP.next = EnumSet.of(ENDED);
        ENDED.next = EnumSet.noneOf(AttemptState.class);
    }

    public boolean canBecome(AttemptState state) {
        return next.contains(state);
    }

    public boolean isOpen() {
        return this != ENDED;
    }

    /** Still waiting to learn whether anyone answers: what pacing counts as in flight. */
    public boolean isUnresolved() {
        return this == DIALING || this == RINGING || this == ANSWERED || this == HUMAN;
    }
}
