/**
 * A caller leaving a voicemail message: the box's greeting (a key skips it), a beep, the recording (ends at the box's
 * longest message, after its silence, on '#' or at hangup), goodbye. A room of the call module because the greeting's
 * end, the keys and the recording's end are events of that call; the boxes and messages are kept by the
 * {@code voicemail} module.
 */
package io.callcenter.call.voicemail;
