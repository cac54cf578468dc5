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
 * </pre>
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
    LOST;

    private Set<QueueEntryState> next;

    static {
        WAITING.next = EnumSet.of(OFFERED, ABANDONED, OVERFLOWED, LOST);
        OFFERED.next = EnumSet.of(WAITING, CONNECTED, ABANDONED, OVERFLOWED, LOST);
        CONNECTED.next = EnumSet.noneOf(QueueEntryState.class);
        ABANDONED.next = EnumSet.noneOf(QueueEntryState.class);
        OVERFLOWED.next = EnumSet.noneOf(QueueEntryState.class);
        LOST.next = EnumSet.noneOf(QueueEntryState.class);
    }

    public boolean canBecome(QueueEntryState target) {
        return next.contains(target);
    }

    public boolean inQueue() {
        return this == WAITING || this == OFFERED;
    }
}
