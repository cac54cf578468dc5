package io.callcenter.call.recording;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.call.limit.CallTimer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Tells when a MixMonitor file is complete. Asterisk writes a WAV's sizes into its header only when it closes the file
 * (format_wav's update_header), which MixMonitor does once the recorded channel has ended: a header whose sizes match
 * the file is the end. Checked every {@link #EVERY} from the channel's end; a file still open after
 * {@link #CLOSE_WITHIN} (Asterisk died with it) is reported as it stands, a missing one as failed.
 */
final class RecordingCompletion {

    static final Duration EVERY = Duration.ofMillis(250);
    /** How long Asterisk may take to close a file after its channel ended, under load. */
    static final Duration CLOSE_WITHIN = Duration.ofSeconds(30);

    private final Path directory;
    private final CallTimer timer;
    private final Clock clock;
    private final Consumer<AsteriskEvent.RecordingEnded> ended;

    RecordingCompletion(Path directory, CallTimer timer, Clock clock, Consumer<AsteriskEvent.RecordingEnded> ended) {
        this.directory = directory;
        this.timer = timer;
        this.clock = clock;
        this.ended = ended;
    }

    void watch(String name, String channelId) {
        Instant giveUpAt = clock.instant().plus(CLOSE_WITHIN);
        timer.schedule(EVERY, () -> check(name, channelId, giveUpAt));
    }

    private void check(String name, String channelId, Instant giveUpAt) {
        Recordings.FileState state = Recordings.state(directory, name, Recordings.FORMAT);
        Instant now = clock.instant();
        if (state == Recordings.FileState.CLOSED || now.isAfter(giveUpAt)) {
            boolean failed = state == Recordings.FileState.MISSING;
            ended.accept(new AsteriskEvent.RecordingEnded(now, name, Recordings.FORMAT, "channel:" + channelId, failed,
                    failed ? "no file" : state == Recordings.FileState.OPEN ? "never closed" : null));
            return;
        }
        timer.schedule(EVERY, () -> check(name, channelId, giveUpAt));
    }
}
