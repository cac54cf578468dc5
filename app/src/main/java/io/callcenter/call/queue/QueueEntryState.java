package io.callcenter.call.queue;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a queued caller is. Only these transitions are legal; the machine ignores events a caller is already past.
 *
 * <pre>
 * WAITING ──> OFFERED ──> CONNECTED
 *    ↑  ↘        │  ↘
 *    └───────────┘   ABANDONED | OVERFLOWED   (from WAITING too)
 *     (rang out)
 *
 * WAITING | OFFERED ──(press 1, confirmed)──> CALLBACK_WAITING ──> CALLBACK_OFFERED ──> CALLBACK_DIALLING
 *                                                  ↑  (rang out)         │                  │      ↘
 *                                                  └─────────────────────┘            CALLBACK_ANSWERED
 *                                           CALLBACK_FAILED (refused by the guard, not answered) ↙
 * </pre>
 *
 * A callback keeps the caller's place after they hung up: it counts for the positions of those behind it and is
 * offered to an agent in its turn, like a waiting caller.
 */
public enum QueueEntryState {
    /** In the holding bridge, hearing music, nobody rung. */
    WAITING,
    /** An agent's phone rings for this caller; the caller still hears music. */
    OFFERED,
    /** An agent answered: the caller left the queue for the call's own bridge. */
    CONNECTED,
    /** The caller hung up while waiting or while an agent was rung. */
    ABANDONED,
    /** Max wait reached: the caller left for the queue's overflow destination. */
    OVERFLOWED,
    /** The caller's channel was lost (Asterisk restarted, or the app could not find it again after a restart). */
    LOST,
    /** The caller asked to be called back and hung up: their place is kept, nobody rung yet. Persisted. */
    CALLBACK_WAITING,
    /** The callback's turn came: an agent is reserved and their phone rings first. */
    CALLBACK_OFFERED,
    /** The agent answered and the caller's number is being dialled through the outbound guard. */
    CALLBACK_DIALLING,
    /** The caller answered the callback: they talk with the agent. */
    CALLBACK_ANSWERED,
    /** The callback was refused (calling hours, do-not-call) or the caller did not answer it. */
    CALLBACK_FAILED;

    private Set<QueueEntryState> next;

    static {
        WAITING.next = EnumSet.of(OFFERED, ABANDONED, OVERFLOWED, LOST, CALLBACK_WAITING);
        OFFERED.next = EnumSet.of(WAITING, CONNECTED, ABANDONED, OVERFLOWED, LOST, CALLBACK_WAITING);
        CONNECTED.next = EnumSet.noneOf(QueueEntryState.class);
        ABANDONED.next = EnumSet.noneOf(QueueEntryState.class);
        OVERFLOWED.next = EnumSet.noneOf(QueueEntryState.class);
        LOST.next = EnumSet.noneOf(QueueEntryState.class);
        CALLBACK_WAITING.next = EnumSet.of(CALLBACK_OFFERED);
        CALLBACK_OFFERED.next = EnumSet.of(CALLBACK_WAITING, CALLBACK_DIALLING, CALLBACK_FAILED);
        CALLBACK_DIALLING.next = EnumSet.of(CALLBACK_ANSWERED, CALLBACK_FAILED);
        CALLBACK_ANSWERED.next = EnumSet.noneOf(QueueEntryState.class);
        CALLBACK_FAILED.next = EnumSet.noneOf(QueueEntryState.class);
    }

    public boolean canBecome(QueueEntryState target) {
        return next.contains(target);
    }

    /** The caller is on the line in the holding bridge. */
    public boolean inQueue() {
        return this == WAITING || this == OFFERED;
    }

    /**
     * The entry holds a place in the queue: a caller on the line, or a callback until the caller answers it (like an
     * offered caller, a callback whose number rings still counts for the places behind it).
     */
    public boolean holdsPlace() {
        return inQueue() || this == CALLBACK_WAITING || this == CALLBACK_OFFERED || this == CALLBACK_DIALLING;
    }

    /** Waiting for an agent to be offered: a caller on the line or a callback. */
    public boolean awaitsOffer() {
        return this == WAITING || this == CALLBACK_WAITING;
    }

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
