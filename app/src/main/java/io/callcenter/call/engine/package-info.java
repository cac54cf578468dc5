/**
 * Lanes, routing of events to rooms, the step (decide, settle, save, announce), the API's commands on the call's
 * lane, and the execution of CallCommands on Asterisk: the only class in the call module holding the gateway.
 */
package io.callcenter.call.engine;
