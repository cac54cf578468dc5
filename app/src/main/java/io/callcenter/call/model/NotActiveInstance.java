package io.callcenter.call.model;

/**
 * A request about a call this app instance does not run because another instance holds the floor (it took over
 * when this one lost its database lock, or this one is the standby): the client tries again, reaching the other.
 */
public final class NotActiveInstance extends RuntimeException {

    public NotActiveInstance(java.util.UUID callId) {
        super("This app instance does not hold the floor: call " + callId + " is run by the active instance");
    }
}
