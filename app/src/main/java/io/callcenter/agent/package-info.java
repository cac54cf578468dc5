/**
 * Agents: who they are (extension, team, phone), their SIP endpoints pushed to Asterisk, and their state kept by the
 * server (OFFLINE from registration, ON_CALL and WRAP_UP from calls, AVAILABLE and BREAK by choice). Reservations
 * ({@link io.callcenter.agent.AgentDirectory#tryReserve}) make sure one agent is offered one call at a time.
 * Uses: {@code asterisk} (endpoints and their state), {@code routing} (teams), {@code identity}, {@code web}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Agents")
package io.callcenter.agent;
