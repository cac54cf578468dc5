/**
 * Recording the call's bridge (or, as an option, the customer's channel through MixMonitor) with the consent
 * announcement, payment pause, and housekeeping of files (recovery after a crash, retention).
 */
package io.callcenter.call.recording;
