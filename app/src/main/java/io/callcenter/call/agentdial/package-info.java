/**
 * An agent's phone dials: a colleague (internal) or a number (out through the trunk once the outbound guard allows
 * it).
 */
package io.callcenter.call.agentdial;
