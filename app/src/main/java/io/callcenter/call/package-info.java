/**
 * Calls: every call through the Stasis application, from the first channel to the last event in its log.
 *
 * <p>Owns: the call and its legs as state machines ({@code model}), their history and recordings ({@code store},
 * {@code recording}), and the REST API over them ({@code api}). Uses: {@code asterisk} (the port, only through the
 * engine's command runner), {@code agent} (who is free, reservations, presence), {@code routing} (teams, numbers,
 * do-not-call), {@code voicemail} (boxes; messages recorded here are kept there), {@code identity} (who asks),
 * {@code web} (problems). Never a module above it: what the auto-dialer
 * needs is {@link io.callcenter.call.DialledLeads}, a port defined here and implemented there.
 *
 * <p>Rooms, one folder each, so "what happens when ..." is found by its name:
 * <ul>
 *   <li>{@code engine} — the lanes (one call's events in order), which room an event concerns, saving and announcing
 *   after each step, the API's commands on the call's lane, and the one place that executes commands on Asterisk;</li>
 *   <li>one flow per way a call begins: {@code inbound} (a DID: hunt the team's agents), {@code agentdial} (an
 *   agent's phone dials), {@code placed} (dialled through the API: the agent's phone first), {@code handover} (a
 *   person the dialler reached, connected to the reserved agent or given the safe-harbor message);</li>
 *   <li>{@code lifecycle} — what every call shares: answer, settle (what follows from who is still there), end,
 *   fail safe; {@code parties} — leg mechanics: dial, ring, join, announce, hang up;</li>
 *   <li>{@code conference}, {@code transfer}, {@code recording}, {@code limit} (talk time), {@code reconcile}
 *   (after a reconnect or restart), {@code guard} (what an agent may dial), {@code supervision} (a manager listening,
 *   whispering or barging through a snoop channel), {@code queue}, {@code menu}, {@code voicemail} (a caller leaving a
 *   message in a box of the {@code voicemail} module);</li>
 *   <li>{@code model} (the call, its legs, its transfer), {@code command} (what decisions ask of Asterisk, as data),
 *   {@code store}, {@code api}.</li>
 * </ul>
 * Decisions change a call only on its lane and reach Asterisk only by sending a
 * {@link io.callcenter.call.command.CallCommand}; every state change goes through a legal transition that is logged
 * to {@code call_event} with the call.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Calls")
package io.callcenter.call;
