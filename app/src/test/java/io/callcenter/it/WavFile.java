package io.callcenter.it;

import io.callcenter.testkit.sip.ToneDetector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A recording as the API serves it: 16-bit PCM WAV at 8 kHz, read for tones and silences. */
record WavFile(short[] samples) {

    static WavFile parse(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 44 || buffer.getInt(0) != 0x46464952 || buffer.getInt(8) != 0x45564157) {
            throw new AssertionError("not a WAV file (" + bytes.length + " bytes)");
        }
        int channels = buffer.getShort(22);
        int rate = buffer.getInt(24);
        int bits = buffer.getShort(34);
        if (channels != 1 || rate != ToneDetector.SAMPLE_RATE || bits != 16) {
            throw new AssertionError("expected mono 8 kHz 16-bit, got " + channels + " ch " + rate + " Hz " + bits + " bit");
        }
        short[] samples = new short[(bytes.length - 44) / 2];
        buffer.position(44);
        buffer.asShortBuffer().get(samples);
        return new WavFile(samples);
    }

    double seconds() {
        return samples.length / (double) ToneDetector.SAMPLE_RATE;
    }

    short[] window(double fromSecond, double toSecond) {
        int from = (int) Math.max(0, fromSecond * ToneDetector.SAMPLE_RATE);
        int to = (int) Math.min(samples.length, toSecond * ToneDetector.SAMPLE_RATE);
        return Arrays.copyOfRange(samples, from, Math.max(from, to));
    }

    /** The RMS level between two moments of the file. */
    double rms(double fromSecond, double toSecond) {
        return CallFlowsIT.rms(window(fromSecond, toSecond));
    }

    /** Whether some one-second stretch carries all the given tones at once. */
    boolean hasStretchWithAll(double... frequencies) {
        for (double start = 0; start + 1 <= seconds(); start += 0.25) {
            short[] window = window(start, start + 1);
            if (Arrays.stream(frequencies).allMatch(f -> ToneDetector.detect(window, f))) {
                return true;
            }
        }
        return false;
    }

    boolean anyStretchWith(double frequency) {
        return hasStretchWithAll(frequency);
    }

    /** The longest run of near-silence, in seconds (50 ms blocks under the given RMS). */
    double longestSilence(double maxRms) {
        int block = ToneDetector.SAMPLE_RATE / 20;
        int run = 0;
        int longest = 0;
        for (int start = 0; start + block <= samples.length; start += block) {
            double sum = 0;
            for (int i = start; i < start + block; i++) {
                sum += (double) samples[i] * samples[i];
            }
            if (Math.sqrt(sum / block) < maxRms) {
                longest = Math.max(longest, ++run);
            } else {
                run = 0;
            }
        }
        return longest / 20.0;
    }

    double rms() {
        return CallFlowsIT.rms(samples);
    }
}
