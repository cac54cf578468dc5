package io.callcenter.call.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * A transfer of a call's customer from one agent to a target (extension, team or number), as its own state machine.
 * Blind: the agent leaves at once and the target is rung into the call. Attended: the agent consults the target in
 * a bridge of their own while the customer waits, then completes (the target takes the agent's place) or cancels
 * (the agent returns). The call's main bridge, and its recording, never change.
 *
 * <pre>
 * DIALLING ──(answer, attended)──> CONSULTING ──> COMPLETED | CANCELLED
 *    └──(answer, blind)──> COMPLETED      DIALLING ──> FAILED | CANCELLED
 * </pre>
 */
public final class Transfer {

    public enum Mode { BLIND, ATTENDED }

    public enum State {
        DIALLING, CONSULTING, COMPLETED, CANCELLED, FAILED;

        private Set<State> next;

        static {
            DIALLING.next = EnumSet.of(CONSULTING, COMPLETED, CANCELLED, FAILED);
            CONSULTING.next = EnumSet.of(COMPLETED, CANCELLED);
            COMPLETED.next = EnumSet.noneOf(State.class);
            CANCELLED.next = EnumSet.noneOf(State.class);
            FAILED.next = EnumSet.noneOf(State.class);
        }
    }

    public final Mode mode;
    public final String agentLegId;
    public final String target;
    /** Attended transfers talk in a bridge of their own. */
    public final String consultBridgeId;
    public String targetLegId;
    public boolean consultBridgeDestroyed;
    private State state = State.DIALLING;

    public Transfer(Mode mode, String agentLegId, String target, String consultBridgeId) {
        this.mode = mode;
        this.agentLegId = agentLegId;
        this.target = target;
        this.consultBridgeId = consultBridgeId;
    }

    public State state() {
        return state;
    }

    public boolean inProgress() {
        return state == State.DIALLING || state == State.CONSULTING;
    }

    /** Moves on, or fails loudly: the caller records the transition in the call's event log. */
    public void moveTo(State next) {
        if (!state.next.contains(next)) {
            throw new IllegalCallTransition("transfer " + mode + " to " + target + ": " + state + " -> " + next + " is not allowed");
        }
        state = next;
    }
}
