/**
 * A person the dialler reached, handed over by the carrier: connected to the reserved agent, or the campaign's
 * safe-harbor message with its opt-out key.
 */
package io.callcenter.call.handover;
