/**
 * Recording the call's bridge with the consent announcement, payment pause, and housekeeping of files (recovery
 * after a crash, retention).
 */
package io.callcenter.call.recording;
