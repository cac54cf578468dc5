package io.callcenter.call;

/** An event that makes no sense in the call's current state: a bug, never silently ignored. */
final class IllegalCallTransition extends IllegalStateException {
    IllegalCallTransition(String message) {
        super(message);
    }
}
