/**
 * The supervisor and manager console: its page (its own route, same login as the softphone) and the team's
 * wallboard, pushed over a WebSocket whenever an agent's state or a call of the team changes. It only reads: agents
 * and their states through {@code agent}, teams through {@code routing}, calls and campaigns of the day from the
 * database (read-only queries in {@link io.callcenter.console.WallboardRepository}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Console")
package io.callcenter.console;
