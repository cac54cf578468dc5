package io.callcenter.call.model;

/** An event that makes no sense in the call's current state: a bug, never silently ignored. */
public final class IllegalCallTransition extends IllegalStateException {
    public IllegalCallTransition(String message) {
        super(message);
    }
}
