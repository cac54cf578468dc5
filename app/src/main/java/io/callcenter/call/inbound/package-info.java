/**
 * The carrier sends a call to one of our numbers: ringback, then the team's available agents one after another
 * (longest idle first); nobody: a message, never silence.
 */
package io.callcenter.call.inbound;
