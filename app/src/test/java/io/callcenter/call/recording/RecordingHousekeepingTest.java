package io.callcenter.call.recording;

import io.callcenter.call.model.CallProperties;
import io.callcenter.call.store.CallRepository;
import io.callcenter.voicemail.VoicemailBoxes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Files on disk against rows in the database: recovery after a crash, retention, and what a file's facts are. */
class RecordingHousekeepingTest {

    @TempDir
    Path directory;

    private final CallRepository calls = mock(CallRepository.class);
    private final VoicemailBoxes voicemail = mock(VoicemailBoxes.class);

    private RecordingHousekeeping housekeeping(Duration retention) {
        CallProperties properties = new CallProperties(null, null, null, null, null, null, null, null, null, null,
                directory, null, null, retention, null);
        return new RecordingHousekeeping(calls, properties, voicemail);
    }

    @Test
    void a_file_of_an_ended_call_that_was_never_registered_is_registered_as_recovered() throws IOException {
        UUID ended = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        writeWav(directory.resolve("call-" + ended + ".wav"), 16_000);
        writeWav(directory.resolve("call-" + live + ".wav"), 8_000);
        Files.writeString(directory.resolve("notes.txt"), "not a recording");
        when(calls.callEnded(ended)).thenReturn(true);
        when(calls.callEnded(live)).thenReturn(false);

        housekeeping(Duration.ZERO).recover();

        verify(calls).recordingFinished(eq("call-" + ended), any(), eq(new Recordings.FileFacts(44 + 32_000,
                Recordings.facts(directory, "call-" + ended, "wav").sha256(), 2_000)), eq(true));
        verify(calls, never()).recordingFinished(eq("call-" + live), any(), any(), eq(true));
    }

    @Test
    void a_voicemail_message_whose_end_was_never_registered_is_registered_with_its_file_or_as_failed() throws IOException {
        writeWav(directory.resolve("vm-written.wav"), 24_000);
        when(voicemail.unfinishedMessages(any())).thenReturn(List.of("vm-written", "vm-never-written"));

        housekeeping(Duration.ZERO).recover();

        verify(voicemail).messageEnded(eq("vm-written"), any(), eq(new VoicemailBoxes.MessageFile(44 + 48_000,
                Recordings.facts(directory, "vm-written", "wav").sha256(), 3_000)), eq(false));
        verify(voicemail).messageEnded(eq("vm-never-written"), any(), eq(new VoicemailBoxes.MessageFile(0, null, 0)), eq(true));
        // Voicemail files are never taken for call recordings.
        verify(calls, never()).recordingFinished(eq("vm-written"), any(), any(), eq(true));
    }

    @Test
    void recordings_past_the_retention_are_deleted_and_the_row_says_when() throws IOException {
        writeWav(directory.resolve("call-old.wav"), 800);
        when(calls.recordingsOlderThan(any())).thenReturn(List.<String[]>of(new String[] {"call-old", "wav"}));

        housekeeping(Duration.ofDays(365)).applyRetention();

        assertThat(directory.resolve("call-old.wav")).doesNotExist();
        verify(calls).recordingDeleted(eq("call-old"), any(Instant.class));
    }

    @Test
    void zero_retention_keeps_everything() {
        housekeeping(Duration.ZERO).applyRetention();
        verify(calls, never()).recordingsOlderThan(any());
    }

    @Test
    void a_recording_name_says_which_call_it_belongs_to() {
        UUID call = UUID.randomUUID();
        assertThat(Recordings.callIdOf(Recordings.nameFor(call, 0))).contains(call);
        assertThat(Recordings.callIdOf(Recordings.nameFor(call, 2))).contains(call);
        assertThat(Recordings.callIdOf("call-not-a-uuid")).isEmpty();
        assertThat(Recordings.facts(directory, "missing", "wav")).isEqualTo(Recordings.FileFacts.MISSING);
    }

    /** A 16-bit 8 kHz mono WAV of {@code samples} samples, as Asterisk writes them. */
    private static void writeWav(Path file, int samples) throws IOException {
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes()).put("fmt ".getBytes())
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16_000).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(samples * 2);
        Files.write(file, wav.array());
    }
}
