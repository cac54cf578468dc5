package io.callcenter.call.recording;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Names and files of call recordings. A recording is named after its call ({@code call-<id>} then
 * {@code call-<id>-1}, ...), so a file found on disk after a crash says which call it belongs to.
 */
public final class Recordings {

    /** 16-bit linear PCM at 8 kHz: plays anywhere, and a file that was cut off is still readable up to the cut. */
    public static final String FORMAT = "wav";
    private static final String PREFIX = "call-";
    private static final int UUID_LENGTH = 36;

    /** What the file holds: evidence that it is the one Asterisk wrote (size, checksum) and how long it plays. */
    public record FileFacts(long sizeBytes, String sha256, long durationMillis) {
        public static final FileFacts MISSING = new FileFacts(0, null, 0);
    }

    /** A file being written (its header's sizes not yet filled in), closed by its writer, or not there. */
    public enum FileState { OPEN, CLOSED, MISSING }

    private Recordings() {
    }

    public static FileState state(Path directory, String name, String format) {
        Path file = directory.resolve(name + "." + format);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(44);
            return closed(header, Files.size(file)) ? FileState.CLOSED : FileState.OPEN;
        } catch (java.nio.file.NoSuchFileException e) {
            return FileState.MISSING;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + file, e);
        }
    }

    /**
     * Asterisk's WAV writer fills in the RIFF and data sizes only when it closes the file: they match the file's
     * size then (RIFF: all but its first 8 bytes; data: all but the 44-byte header), and are zero before.
     */
    static boolean closed(byte[] header, long size) {
        if (header.length < 44 || header[0] != 'R' || header[1] != 'I' || header[2] != 'F' || header[3] != 'F') {
            return false;
        }
        long riff = Integer.toUnsignedLong(ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        long data = Integer.toUnsignedLong(ByteBuffer.wrap(header, 40, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        return size > 44 && riff == size - 8 && data == size - 44;
    }

    public static String nameFor(UUID callId, int index) {
        return PREFIX + callId + (index == 0 ? "" : "-" + index);
    }

    public static Optional<UUID> callIdOf(String name) {
        if (name == null || !name.startsWith(PREFIX) || name.length() < PREFIX.length() + UUID_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(name.substring(PREFIX.length(), PREFIX.length() + UUID_LENGTH)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static FileFacts facts(Path directory, String name, String format) {
        Path file = directory.resolve(name + "." + format);
        if (!Files.isRegularFile(file)) {
            return FileFacts.MISSING;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] header = new byte[44];
            int headerRead = 0;
            long size = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read; (read = in.read(buffer)) > 0; ) {
                    if (headerRead < header.length) {
                        int take = Math.min(read, header.length - headerRead);
                        System.arraycopy(buffer, 0, header, headerRead, take);
                        headerRead += take;
                    }
                    sha256.update(buffer, 0, read);
                    size += read;
                }
            }
            return new FileFacts(size, HexFormat.of().formatHex(sha256.digest()), durationMillis(header, headerRead, size));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From the WAV header's byte rate; the data size is taken from the file, which a crash may have cut short. */
    private static long durationMillis(byte[] header, int length, long size) {
        if (length < 44 || header[0] != 'R' || header[1] != 'I' || header[8] != 'W') {
            return 0;
        }
        int byteRate = ByteBuffer.wrap(header, 28, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return byteRate <= 0 ? 0 : (size - 44) * 1000 / byteRate;
    }
}
