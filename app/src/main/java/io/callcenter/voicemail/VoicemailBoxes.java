package io.callcenter.voicemail;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the call module's voicemail room needs: the box a destination names, and where the messages it records go.
 * Implemented by {@link VoicemailService}; calls record, this module keeps.
 */
public interface VoicemailBoxes {

    /** Messages are files in Asterisk's recording directory named after their call. */
    String MESSAGE_PREFIX = "vm-";
    String FORMAT = "wav";

    Optional<VoicemailBox> box(UUID boxId);

    /** The recording of a message began (after the greeting and the beep). */
    void messageStarted(UUID boxId, UUID callId, String callerNumber, String recordingName, Instant at);

    /**
     * The recording ended: its file as written, or {@code failed} (Asterisk could not write it). True if there is a
     * message to keep (a caller who hung up at the beep left none).
     */
    boolean messageEnded(String recordingName, Instant at, MessageFile file, boolean failed);

    /**
     * Messages whose recording began before the instant and whose end was never registered (the app or Asterisk
     * stopped meanwhile, or the event was lost): their recording names.
     */
    java.util.List<String> unfinishedMessages(Instant startedBefore);

    /** A message's file: size and SHA-256 (evidence it is the one Asterisk wrote) and how long it plays. */
    record MessageFile(long sizeBytes, String sha256, long durationMillis) {
    }

    static String messageName(UUID callId) {
        return MESSAGE_PREFIX + callId;
    }

    /** The call a message's recording belongs to, from its name. */
    static Optional<UUID> callIdOf(String recordingName) {
        if (recordingName == null || !recordingName.startsWith(MESSAGE_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(recordingName.substring(MESSAGE_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** No boxes (deployments and tests without voicemail). */
    VoicemailBoxes NONE = new VoicemailBoxes() {
        @Override
        public Optional<VoicemailBox> box(UUID boxId) {
            return Optional.empty();
        }

        @Override
        public void messageStarted(UUID boxId, UUID callId, String callerNumber, String recordingName, Instant at) {
        }

        @Override
        public boolean messageEnded(String recordingName, Instant at, MessageFile file, boolean failed) {
            return false;
        }

        @Override
        public java.util.List<String> unfinishedMessages(Instant startedBefore) {
            return java.util.List.of();
        }
    };
}
