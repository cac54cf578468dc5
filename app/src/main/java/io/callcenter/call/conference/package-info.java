/**
 * Three-way calls in the call's one mixing bridge: at most three parties, the call goes on while two remain.
 */
package io.callcenter.call.conference;
