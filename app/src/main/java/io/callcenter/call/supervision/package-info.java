/**
 * Supervision: a manager listens to, whispers to or barges into a live call of their team from their own phone,
 * through an ARI snoop channel on the agent's leg. Not wired to the engine and the API yet.
 */
package io.callcenter.call.supervision;
