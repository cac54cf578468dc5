/**
 * Blind and attended transfers, each a state machine (DIALLING, CONSULTING, COMPLETED, CANCELLED, FAILED); a
 * failed step fails the transfer, not the call.
 */
package io.callcenter.call.transfer;
