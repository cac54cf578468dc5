package io.callcenter.dialer;

import java.util.UUID;

/** A transition the attempt state machine does not allow: a bug, never a carrier's reordering. */
public class IllegalAttemptTransition extends IllegalStateException {

    public IllegalAttemptTransition(UUID attemptId, AttemptState from, AttemptState to, String event) {
        super("attempt " + attemptId + ": " + from + " -> " + to + " on " + event + " is not allowed");
    }
}
