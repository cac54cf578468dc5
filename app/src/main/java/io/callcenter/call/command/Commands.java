package io.callcenter.call.command;

/**
 * The door through which decisions reach Asterisk. A command runs at once, in order; one Asterisk refuses throws
 * {@link io.callcenter.asterisk.AsteriskException}, which the decision may expect (a channel gone under a hangup)
 * or leave to the engine (which ends the call safely).
 */
@FunctionalInterface
public interface Commands {

    void send(CallCommand command);
}
