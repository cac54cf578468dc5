/**
 * What an agent may dial: do-not-call, the team's allowed prefixes, premium rate, calls per minute.
 */
package io.callcenter.call.guard;
