package io.callcenter.call.model;

/**
 * How a call began. Each origin is a flow of its own (its own folder), which decides what a failed or connected
 * callee means: an inbound caller goes on to the next agent, an agent's own call fails with the far end's reason,
 * a dialled lead hears the safe-harbor message.
 */
public enum Origin {
    /** The carrier sent a call to one of our numbers (DID): hunt through the team's agents. */
    INBOUND,
    /** An agent's phone dialled an extension or a number. */
    AGENT_DIAL,
    /** Placed through the API (dialpad, redial, click-to-dial): the agent's phone first, then the far end. */
    PLACED,
    /** A person the auto-dialer reached, handed over to us to connect to a reserved agent. */
    DIALLED_LEAD
}
