package io.callcenter.call;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a call. Only the transitions listed here are legal; anything else is a bug and fails loudly.
 *
 * <pre>
 * ROUTING ──> RINGING ──> TALKING ──> ENDING ──> ENDED
 *    │           │  ↺ (next agent)       ↑
 *    └──> ANNOUNCING <┘ ─────────────────┘
 * </pre>
 */
public enum CallState {
    /** The first leg is in our application; we decide where it goes. */
    ROUTING,
    /** A second leg is being dialled. */
    RINGING,
    /** The caller hears a message (no agent, unknown number) and is then hung up. */
    ANNOUNCING,
    /** Two parties are in the call's bridge. */
    TALKING,
    /** Legs are being hung up; the call ends when the last one is gone. */
    ENDING,
    ENDED;

    private Set<CallState> next;

    static {
        ROUTING.next = EnumSet.of(RINGING, ANNOUNCING, ENDING);
        RINGING.next = EnumSet.of(RINGING, TALKING, ANNOUNCING, ENDING);
        ANNOUNCING.next = EnumSet.of(ENDING);
        TALKING.next = EnumSet.of(ENDING);
        ENDING.next = EnumSet.of(ENDED);
        ENDED.next = EnumSet.noneOf(CallState.class);
    }

    public boolean canMoveTo(CallState target) {
        return next.contains(target);
    }

    public boolean isLive() {
        return this != ENDING && this != ENDED;
    }
}
