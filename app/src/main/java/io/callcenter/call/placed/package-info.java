/**
 * Calls placed through the API (dialpad, redial, click-to-dial): the agent's phone first with auto-answer, then
 * the far end with in-band ringback.
 */
package io.callcenter.call.placed;
