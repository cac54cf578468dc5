/**
 * Supervision: a manager listens to, whispers to or barges into a live call of their team from their own phone,
 * through an ARI snoop channel on the agent's leg. The engine hands this room the events of its channels before any
 * other room sees them, so a supervisor is never a party of the call.
 */
package io.callcenter.call.supervision;
