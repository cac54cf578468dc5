/**
 * The auto-dialer: campaigns dial their leads through the carrier's call control with answering-machine detection,
 * paced so that humans reach an agent of the campaign's team within two seconds, or hear the safe-harbor message.
 *
 * <p>Owns campaigns, leads, dial attempts (their state machine, {@link io.callcenter.dialer.AttemptMachine}, and
 * their event log) and the carrier's side of a call: {@link io.callcenter.dialer.CallControl} is its port, and
 * {@code telnyx} holds the Telnyx client behind it, webhook verification and the webhook inbox.
 *
 * <p>May use: the call module's {@link io.callcenter.call.DialledLeads} port, which
 * {@link io.callcenter.dialer.DialerService} implements (the call module hands over transferred people through it
 * and never names the dialer); the agent module (agents' presence and reservations, behind
 * {@link io.callcenter.dialer.TeamAgents}); routing (teams, the do-not-call list, phone numbers); web (problem
 * responses); identity (who asks); db (the generated schema, in repositories only). Nothing else reaches into the dialer but its REST API and that port.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Dialer")
package io.callcenter.dialer;
