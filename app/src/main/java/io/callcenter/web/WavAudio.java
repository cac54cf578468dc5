package io.callcenter.web;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Uploaded audio as Asterisk plays it on a telephone call without transcoding: WAV, linear PCM, 16-bit, mono,
 * 8 kHz, of a length the use allows (a safe-harbor message, a voicemail greeting). Pure: the bytes decide.
 */
public final class WavAudio {

    public static final int SAMPLE_RATE = 8000;

    private WavAudio() {
    }

    /** Why the bytes are not such a recording of {@code minSeconds} to {@code maxSeconds}; empty when they are. */
    public static Optional<String> problem(byte[] wav, double minSeconds, int maxSeconds) {
        if (wav == null || wav.length < 44) {
            return Optional.of("not a WAV file (too short)");
        }
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (!text(wav, 0).equals("RIFF") || !text(wav, 8).equals("WAVE")) {
            return Optional.of("not a WAV file (no RIFF/WAVE header)");
        }
        boolean format = false;
        long dataBytes = -1;
        int position = 12;
        while (position + 8 <= wav.length) {
            String id = text(wav, position);
            long size = Integer.toUnsignedLong(b.getInt(position + 4));
            int body = position + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > wav.length) {
                    return Optional.of("WAV format chunk too short");
                }
                int encoding = Short.toUnsignedInt(b.getShort(body));
                int channels = Short.toUnsignedInt(b.getShort(body + 2));
                int rate = b.getInt(body + 4);
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (encoding != 1 || channels != 1 || rate != SAMPLE_RATE || bits != 16) {
                    return Optional.of("must be 16-bit linear PCM, mono, 8000 Hz (got encoding " + encoding + ", "
                            + channels + " channel(s), " + rate + " Hz, " + bits + "-bit)");
                }
                format = true;
            } else if (id.equals("data")) {
                dataBytes = Math.min(size, wav.length - body);
            }
            position = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        if (!format) {
            return Optional.of("WAV file without a format chunk");
        }
        if (dataBytes < 0) {
            return Optional.of("WAV file without audio data");
        }
        double seconds = dataBytes / (2.0 * SAMPLE_RATE);
        if (seconds < minSeconds || seconds > maxSeconds) {
            return Optional.of(String.format(java.util.Locale.ROOT, "the message must last %.0f to %d seconds (got %.1f)",
                    minSeconds, maxSeconds, seconds));
        }
        return Optional.empty();
    }

    private static String text(byte[] bytes, int at) {
        return new String(bytes, at, 4, StandardCharsets.US_ASCII);
    }
}
