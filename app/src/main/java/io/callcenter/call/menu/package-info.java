/**
 * Voice menus (IVR) for inbound callers: the prompt plays (a key interrupts it), a key chooses a destination, invalid
 * keys and silences cost tries. A room of the call module because the caller's keys and the prompt's end are events
 * of that call, on its lane; the menus themselves are configured in the {@code destination} module.
 */
package io.callcenter.call.menu;
