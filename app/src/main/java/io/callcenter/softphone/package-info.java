/**
 * What the agent's browser softphone needs from the server: SIP credentials after login, the agent's state, and a
 * WebSocket that pushes state, call and voicemail changes as they happen.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Softphone")
package io.callcenter.softphone;
