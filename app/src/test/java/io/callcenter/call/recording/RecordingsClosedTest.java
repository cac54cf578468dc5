package io.callcenter.call.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A MixMonitor file is complete once Asterisk wrote its sizes into the header, which it does when closing it. */
class RecordingsClosedTest {

    @TempDir
    Path directory;

    private static byte[] wav(int riffSize, int dataSize, int samples) {
        ByteBuffer file = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        file.put("RIFF".getBytes()).putInt(riffSize).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(dataSize);
        return file.array();
    }

    @Test
    void a_file_being_written_is_open_and_closed_once_its_header_matches_its_size() throws IOException {
        Files.write(directory.resolve("call-1.wav"), wav(0, 0, 800));
        assertThat(Recordings.state(directory, "call-1", "wav")).isEqualTo(Recordings.FileState.OPEN);

        Files.write(directory.resolve("call-1.wav"), wav(36 + 1600, 1600, 800));
        assertThat(Recordings.state(directory, "call-1", "wav")).isEqualTo(Recordings.FileState.CLOSED);

        Files.write(directory.resolve("call-1.wav"), wav(36 + 1600, 1600, 900));
        assertThat(Recordings.state(directory, "call-1", "wav")).as("written on after an earlier close: not the end")
                .isEqualTo(Recordings.FileState.OPEN);
        assertThat(Recordings.state(directory, "call-2", "wav")).isEqualTo(Recordings.FileState.MISSING);
    }
}
