/**
 * Recording the call through a snoop channel on the customer's leg, with the consent announcement, payment pause,
 * and housekeeping of files (recovery after a crash, retention).
 */
package io.callcenter.call.recording;
