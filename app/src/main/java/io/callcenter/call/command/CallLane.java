package io.callcenter.call.command;

import io.callcenter.call.model.Call;

import java.util.function.Consumer;

/**
 * Runs a later decision (a timer's) on the call's lane, in order with its events, and then settles and saves the
 * call as after any event. Nothing happens if the call is over by then.
 */
@FunctionalInterface
public interface CallLane {

    void run(java.util.UUID callId, Consumer<Call> decision);
}
