package io.callcenter.testkit.sip;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ToneDetectorTest {

    private static final int RATE = ToneDetector.SAMPLE_RATE;

    @Test
    void pure_tone_is_detected_and_other_frequencies_are_not() {
        short[] pcm = viaUlaw(tones(500, -10, 700));

        assertThat(ToneDetector.detect(pcm, 700)).isTrue();
        for (double other : new double[] {440, 1100, 350, 620, 780, 1400, 2000, 3000}) {
            assertThat(ToneDetector.detect(pcm, other)).as("%s Hz", other).isFalse();
        }
        assertThat(ToneDetector.analyse(pcm, 700).meanFraction()).isGreaterThan(0.9);
        assertThat(ToneDetector.analyse(pcm, 700).levelDbfs()).isBetween(-11.0, -9.0);
    }

    @Test
    void two_mixed_tones_are_both_detected_and_a_third_is_not() {
        short[] pcm = viaUlaw(tones(500, -16, 440, 700));

        assertThat(ToneDetector.detect(pcm, 440)).isTrue();
        assertThat(ToneDetector.detect(pcm, 700)).isTrue();
        assertThat(ToneDetector.detect(pcm, 1100)).isFalse();
        assertThat(ToneDetector.detect(pcm, 570)).as("half way between the two").isFalse();
    }

    @Test
    void three_mixed_tones_as_a_conference_mixer_would_sum_them() {
        short[] pcm = viaUlaw(tones(500, -16, 440, 700, 1100));

        assertThat(ToneDetector.detect(pcm, 440)).isTrue();
        assertThat(ToneDetector.detect(pcm, 700)).isTrue();
        assertThat(ToneDetector.detect(pcm, 1100)).isTrue();
        assertThat(ToneDetector.detect(pcm, 1500)).isFalse();
        assertThat(ToneDetector.detect(pcm, 900)).isFalse();
    }

    @Test
    void a_mix_with_one_tone_much_weaker_still_detects_both() {
        short[] strong = tones(500, -10, 440);
        short[] weak = tones(500, -22, 1100);

        short[] pcm = viaUlaw(add(strong, weak));

        assertThat(ToneDetector.detect(pcm, 440)).isTrue();
        assertThat(ToneDetector.detect(pcm, 1100)).isTrue();
        assertThat(ToneDetector.detect(pcm, 700)).isFalse();
    }

    @Test
    void silence_and_noise_detect_nothing() {
        short[] silence = new short[RATE / 2];
        short[] hiss = viaUlaw(noise(500, 20, 1));
        short[] loudNoise = viaUlaw(noise(500, 3000, 2));

        for (double f : new double[] {440, 700, 1100}) {
            assertThat(ToneDetector.detect(silence, f)).isFalse();
            assertThat(ToneDetector.detect(hiss, f)).isFalse();
            assertThat(ToneDetector.detect(loudNoise, f)).isFalse();
        }
        assertThat(ToneDetector.detect(new short[0], 440)).isFalse();
    }

    @Test
    void a_tone_buried_under_broadband_noise_of_the_same_power_is_still_found() {
        short[] pcm = viaUlaw(add(tones(500, -20, 700), noise(500, 2300, 3)));

        assertThat(ToneDetector.detect(pcm, 700)).isTrue();
        assertThat(ToneDetector.detect(pcm, 440)).isFalse();
    }

    @Test
    void quiet_tones_are_found_down_to_about_minus_50_dbfs() {
        assertThat(ToneDetector.detect(viaUlaw(tones(500, -40, 700)), 700)).isTrue();
        assertThat(ToneDetector.detect(viaUlaw(tones(500, -60, 700)), 700)).isFalse();
    }

    @Test
    void lost_frames_and_a_late_start_do_not_hide_the_tone() {
        short[] tone = tones(600, -10, 1100);
        short[] withLoss = new short[tone.length];
        int kept = 0;
        for (int frame = 0; frame * 160 < tone.length; frame++) {
            if (frame % 4 == 3) {
                continue; // every fourth 20 ms packet lost: phase jumps in the concatenated stream
            }
            System.arraycopy(tone, frame * 160, withLoss, kept, 160);
            kept += 160;
        }
        short[] lossy = java.util.Arrays.copyOf(withLoss, kept);
        short[] lateStart = new short[RATE / 2];
        System.arraycopy(tones(150, -10, 440), 0, lateStart, lateStart.length - 1200, 1200);

        assertThat(ToneDetector.detect(viaUlaw(lossy), 1100)).isTrue();
        assertThat(ToneDetector.detect(viaUlaw(lateStart), 440)).as("150 ms of tone after 350 ms of silence").isTrue();
    }

    @Test
    void a_window_too_short_to_judge_detects_nothing() {
        assertThat(ToneDetector.detect(tones(40, -10, 700), 700)).isFalse();
    }

    static short[] tones(int millis, double dbfs, double... frequencies) {
        int n = RATE * millis / 1000;
        double amplitude = 32767 * Math.pow(10, dbfs / 20);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int k = 0; k < frequencies.length; k++) {
                v += amplitude * Math.sin(2 * Math.PI * frequencies[k] * i / RATE + k);
            }
            out[i] = clip(v);
        }
        return out;
    }

    private static short[] noise(int millis, double rms, long seed) {
        Random random = new Random(seed);
        short[] out = new short[RATE * millis / 1000];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip(random.nextGaussian() * rms);
        }
        return out;
    }

    private static short[] add(short[] a, short[] b) {
        short[] out = new short[Math.min(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip(a[i] + b[i]);
        }
        return out;
    }

    private static short clip(double v) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(v)));
    }

    /** What actually arrives over a PCMU call. */
    static short[] viaUlaw(short[] pcm) {
        byte[] encoded = G711.encodeUlaw(pcm, 0, pcm.length);
        return G711.decodeUlaw(encoded, 0, encoded.length);
    }
}
