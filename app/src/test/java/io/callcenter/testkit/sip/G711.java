package io.callcenter.testkit.sip;

/** ITU-T G.711 companding: mu-law both ways (our codec), A-law decode only (in case a peer insists on PCMA). */
public final class G711 {

    /** Mu-law adds this bias so that every segment's step starts at a power of two, which makes the encoder a shift. */
    private static final int BIAS = 0x84;
    /** Largest magnitude that still fits the top segment once the bias is added. */
    private static final int CLIP = 32635;

    private G711() {
    }

    public static byte linearToUlaw(int sample) {
        int pcm = sample;
        int sign = 0;
        if (pcm < 0) {
            pcm = -pcm;
            sign = 0x80;
        }
        if (pcm > CLIP) {
            pcm = CLIP;
        }
        pcm += BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        // Bits are inverted on the wire so that silence (all ones) keeps the line busy with transitions (T1 heritage).
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static short ulawToLinear(byte code) {
        int u = ~code & 0xFF;
        int sign = u & 0x80;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
        return (short) (sign != 0 ? -magnitude : magnitude);
    }

    public static short alawToLinear(byte code) {
        // Even bits are inverted on the wire (0x55) for the same line-density reason as mu-law's full inversion.
        int a = (code ^ 0x55) & 0xFF;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        // In A-law a set sign bit means positive, the opposite of mu-law.
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    public static byte[] encodeUlaw(short[] pcm, int offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = linearToUlaw(pcm[offset + i]);
        }
        return out;
    }

    public static short[] decodeUlaw(byte[] data, int offset, int length) {
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            out[i] = ulawToLinear(data[offset + i]);
        }
        return out;
    }

    public static short[] decodeAlaw(byte[] data, int offset, int length) {
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            out[i] = alawToLinear(data[offset + i]);
        }
        return out;
    }
}
