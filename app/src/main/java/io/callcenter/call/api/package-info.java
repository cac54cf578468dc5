/**
 * REST over calls: history, details, recordings, dispositions, placing calls, conference, transfer and recording
 * pause.
 */
package io.callcenter.call.api;
