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
 * ROUTING ──> QUEUED <──> RINGING (an offer; rang out: QUEUED again); QUEUED ──> ANNOUNCING | ENDING
 * QUEUED ↺ (max wait in one queue overflowed into another: a new stay, the caller's place kept; see call/queue)
 * ROUTING ──> MENU ──> RINGING | QUEUED | ANNOUNCING | ENDING (a key chose, or the tries ran out)
 * ROUTING | MENU | QUEUED ──> VOICEMAIL ──> ANNOUNCING (goodbye) | ENDING
 * </pre>
 */
public enum CallState {
    /** The first leg is in our application; we decide where it goes. */
    ROUTING,
    /** A second leg is being dialled. */
    RINGING,
    /** The caller is in a voice menu (call/menu): prompts play, keys choose where the call goes. */
    MENU,
    /** The caller waits in a queue's holding bridge (call/queue) for a free agent; an agent rung for them is RINGING. */
    QUEUED,
    /** The caller hears a voicemail box's greeting, then leaves a message (call/voicemail). */
    VOICEMAIL,
    /** The caller hears a message (no agent, unknown number) and is then hung up. */
    ANNOUNCING,
    /** Two parties are in the call's bridge. */
    TALKING,
    /** Legs are being hung up; the call ends when the last one is gone. */
    ENDING,
    ENDED;

    private Set<CallState> next;

    static {
        ROUTING.next = EnumSet.of(RINGING, QUEUED, MENU, VOICEMAIL, ANNOUNCING, ENDING);
        MENU.next = EnumSet.of(RINGING, QUEUED, VOICEMAIL, ANNOUNCING, ENDING);
        RINGING.next = EnumSet.of(RINGING, QUEUED, TALKING, ANNOUNCING, ENDING);
        QUEUED.next = EnumSet.of(QUEUED, RINGING, VOICEMAIL, ANNOUNCING, ENDING);
        VOICEMAIL.next = EnumSet.of(ANNOUNCING, ENDING);
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
