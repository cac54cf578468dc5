package io.callcenter.testkit.sip;

import java.util.Arrays;

/**
 * Decides whether a sine tone of a given frequency is present in 8 kHz PCM, also when it is one of several tones
 * summed by a conference mixer.
 *
 * <p>The signal is cut into 50 ms Hann-windowed blocks (50% overlap) and each block is judged on its own, so a
 * packet lost or re-timed by a jitter buffer (a phase jump in the concatenated stream) only spoils one block instead
 * of the whole coherent sum. A block counts as carrying the tone when all of these hold:
 * <ul>
 *   <li>the Goertzel power at the frequency holds at least {@value #MIN_FRACTION} of the block's energy: a pure tone
 *       scores about 1, each of two equal mixed tones about 0.5, each of three about 0.33, while white noise scores
 *       3/400 and a tone's leakage into a bin 250 Hz away is below 0.001. The margin lets one tone be up to ~13 dB
 *       weaker than the rest of the mix (softmix levels, transcoding) and still count;</li>
 *   <li>the tone's own amplitude is at least {@value #MIN_AMPLITUDE} (about -50 dBFS), so idle-channel noise or
 *       a mu-law quantisation pattern never counts however "tonal" it looks;</li>
 *   <li>the power is at least {@value #MIN_ABOVE_FLOOR}x the median power of a 50 Hz grid of reference bins
 *       (250-3750 Hz, those within 100 Hz of the tested frequency excluded): a few other tones only lift a few grid
 *       bins and never the median, while broadband audio (speech, noise) lifts the median with it.</li>
 * </ul>
 * The tone is heard when at least two blocks carry it and they are at least half of the blocks that have any
 * audio at all (RMS above {@value #MIN_ACTIVE_RMS}); blocks of digital silence neither help nor hurt, so a window
 * that starts just before the far end began to play still detects.
 */
public final class ToneDetector {

    public static final int SAMPLE_RATE = 8000;
    static final int BLOCK = 400;
    static final int HOP = BLOCK / 2;
    static final double MIN_FRACTION = 0.04;
    static final double MIN_AMPLITUDE = 100.0;
    static final double MIN_ABOVE_FLOOR = 10.0;
    static final double MIN_ACTIVE_RMS = 30.0;
    private static final double GRID_LOW = 250.0;
    private static final double GRID_STEP = 50.0;
    private static final int GRID_SIZE = 71;
    private static final double GRID_EXCLUSION = 100.0;
    private static final double[] HANN = new double[BLOCK];

    static {
        for (int i = 0; i < BLOCK; i++) {
            HANN[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / BLOCK);
        }
    }

    /** What the detector saw for one frequency; {@link #toString()} is meant for assertion messages. */
    public record Result(double frequency, boolean detected, int activeBlocks, int toneBlocks, double meanFraction,
                         double levelDbfs, double aboveFloorDb) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%.0f Hz %s: %d/%d audible 50ms blocks carry it, mean energy share %.2f, level %.1f dBFS, %.1f dB above floor",
                    frequency, detected ? "DETECTED" : "not detected", toneBlocks, activeBlocks, meanFraction,
                    levelDbfs, aboveFloorDb);
        }
    }

    private ToneDetector() {
    }

    public static boolean detect(short[] pcm, double frequency) {
        return analyse(pcm, frequency).detected();
    }

    public static Result analyse(short[] pcm, double frequency) {
        int active = 0;
        int withTone = 0;
        double fractionSum = 0;
        double amplitudeSum = 0;
        double floorRatioSum = 0;
        double[] block = new double[BLOCK];
        double[] grid = new double[GRID_SIZE];
        for (int start = 0; start + BLOCK <= pcm.length; start += HOP) {
            double energy = 0;
            for (int i = 0; i < BLOCK; i++) {
                block[i] = pcm[start + i] * HANN[i];
                energy += block[i] * block[i];
            }
            // Hann keeps 3/8 of a signal's energy; undo that to judge the block's real loudness.
            double rms = Math.sqrt(energy * 8.0 / (3.0 * BLOCK));
            if (rms < MIN_ACTIVE_RMS) {
                continue;
            }
            active++;
            double power = goertzelPower(block, frequency);
            // With a Hann window a pure tone of amplitude A gives |Y|^2 = (A*L/4)^2 and a windowed energy of 3*A^2*L/16,
            // so 3*|Y|^2/L over the energy is the share of the block's energy carried by the tone (1 for a pure tone).
            double fraction = 3.0 * power / BLOCK / energy;
            double amplitude = 4.0 * Math.sqrt(power) / BLOCK;
            int n = 0;
            for (int g = 0; g < GRID_SIZE; g++) {
                double f = GRID_LOW + g * GRID_STEP;
                if (Math.abs(f - frequency) > GRID_EXCLUSION) {
                    grid[n++] = goertzelPower(block, f);
                }
            }
            double floor = median(grid, n);
            double floorRatio = power / Math.max(floor, 1e-9);
            fractionSum += fraction;
            amplitudeSum += amplitude;
            floorRatioSum += Math.min(floorRatio, 1e12);
            if (fraction >= MIN_FRACTION && amplitude >= MIN_AMPLITUDE && floorRatio >= MIN_ABOVE_FLOOR) {
                withTone++;
            }
        }
        boolean detected = withTone >= 2 && withTone * 2 >= active;
        double meanFraction = active == 0 ? 0 : fractionSum / active;
        double meanAmplitude = active == 0 ? 0 : amplitudeSum / active;
        double levelDbfs = meanAmplitude <= 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(meanAmplitude / 32768.0);
        double aboveFloorDb = active == 0 ? 0 : 10 * Math.log10(Math.max(floorRatioSum / active, 1e-12));
        return new Result(frequency, detected, active, withTone, meanFraction, levelDbfs, aboveFloorDb);
    }

    /** Squared magnitude of the DTFT at an arbitrary (not bin-aligned) frequency, in O(n) without a full FFT. */
    static double goertzelPower(double[] samples, double frequency) {
        double omega = 2 * Math.PI * frequency / SAMPLE_RATE;
        double coefficient = 2 * Math.cos(omega);
        double s1 = 0;
        double s2 = 0;
        for (double x : samples) {
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }

    private static double median(double[] values, int n) {
        double[] copy = Arrays.copyOf(values, n);
        Arrays.sort(copy);
        return n == 0 ? 0 : copy[n / 2];
    }
}
