package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SafeHarborAudioTest {

    static byte[] wav(int rate, int channels, int bits, double seconds) {
        int data = (int) (seconds * rate * channels * bits / 8);
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        return b.array();
    }

    @Test
    void eight_kilohertz_mono_sixteen_bit_pcm_of_a_few_seconds_is_accepted() {
        assertThat(SafeHarborAudio.problem(wav(8000, 1, 16, 8))).isEmpty();
    }

    @Test
    void other_formats_lengths_and_non_wav_bytes_are_refused_with_the_reason() {
        assertThat(SafeHarborAudio.problem(wav(16000, 1, 16, 8))).hasValueSatisfying(p -> assertThat(p).contains("16000 Hz"));
        assertThat(SafeHarborAudio.problem(wav(8000, 2, 16, 8))).hasValueSatisfying(p -> assertThat(p).contains("2 channel"));
        assertThat(SafeHarborAudio.problem(wav(8000, 1, 8, 8))).hasValueSatisfying(p -> assertThat(p).contains("8-bit"));
        assertThat(SafeHarborAudio.problem(wav(8000, 1, 16, 1))).hasValueSatisfying(p -> assertThat(p).contains("1.0"));
        assertThat(SafeHarborAudio.problem(wav(8000, 1, 16, 61))).hasValueSatisfying(p -> assertThat(p).contains("61.0"));
        assertThat(SafeHarborAudio.problem("not audio at all, just some text long enough".getBytes(StandardCharsets.UTF_8)))
                .hasValueSatisfying(p -> assertThat(p).contains("RIFF"));
        assertThat(SafeHarborAudio.problem(new byte[3])).isPresent();
    }
}
