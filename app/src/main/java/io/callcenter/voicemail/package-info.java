/**
 * Voicemail: a box per agent and per team, each with its greeting (an Asterisk sound or an uploaded 8 kHz WAV) and
 * limits (longest message, silence that ends it); the messages callers leave, registered like call recordings (size,
 * duration, SHA-256) and served under the same rules (another team's box does not exist); message waiting for desk
 * phones; retention.
 *
 * <p>Below the call module: the call module's voicemail room records a caller through {@link
 * io.callcenter.voicemail.VoicemailBoxes} and this module keeps the rest. Uses {@code asterisk} (message waiting),
 * {@code identity} (who asks), {@code web} (problems, WAV checks). Tells the screens of new, heard and deleted
 * messages with {@link io.callcenter.voicemail.VoicemailChanged}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Voicemail")
package io.callcenter.voicemail;
