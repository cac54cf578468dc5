/**
 * Reports for managers and administrators (REST, CSV, the console's Reports page): per team or queue and interval,
 * per agent, per campaign, and the call detail export streamed from a database cursor. It only reads: the call,
 * queue, agent-state and dial-attempt tables are written by their own modules; the formulas are in the README.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reports")
package io.callcenter.report;
