package io.callcenter.testkit.sip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class G711Test {

    @Test
    void every_mu_law_code_survives_decode_then_encode() {
        for (int code = 0; code < 256; code++) {
            if (code == 0x7F) {
                continue; // "negative zero" decodes to 0, which encodes as the positive zero 0xFF
            }
            byte b = (byte) code;
            assertThat(G711.linearToUlaw(G711.ulawToLinear(b))).as("code %02x", code).isEqualTo(b);
        }
    }

    @Test
    void linear_round_trip_stays_within_the_quantisation_step() {
        for (int x = -32768; x <= 32767; x += 7) {
            int back = G711.ulawToLinear(G711.linearToUlaw(x));
            assertThat(Math.abs(back - x)).as("sample %d -> %d", x, back).isLessThanOrEqualTo(Math.abs(x) / 16 + 8);
        }
    }

    @Test
    void known_values() {
        assertThat(G711.linearToUlaw(0)).isEqualTo((byte) 0xFF);
        assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
    }
}
