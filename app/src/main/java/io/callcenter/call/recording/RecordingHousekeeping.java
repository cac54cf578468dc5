package io.callcenter.call.recording;

import io.callcenter.asterisk.AsteriskEvent;
import io.callcenter.asterisk.AsteriskEventListener;
import io.callcenter.asterisk.AsteriskInfo;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.store.CallRepository;
import io.callcenter.voicemail.VoicemailBoxes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Keeps recordings and their rows in step. After a crash (of the app, or of Asterisk) a recording may exist on disk
 * whose end was never registered: on every connect such files are found and registered, marked as recovered (voicemail
 * messages too, with their box). And
 * recordings past the retention are deleted, their rows kept with the time of deletion.
 */
@Component
class RecordingHousekeeping implements AsteriskEventListener {

    private static final Logger log = LoggerFactory.getLogger(RecordingHousekeeping.class);

    private final CallRepository calls;
    private final CallProperties properties;
    private final VoicemailBoxes voicemail;
    private final Clock clock = Clock.systemUTC();

    @org.springframework.beans.factory.annotation.Autowired
    RecordingHousekeeping(CallRepository calls, CallProperties properties, ObjectProvider<VoicemailBoxes> voicemail) {
        this(calls, properties, voicemail.getIfAvailable(() -> VoicemailBoxes.NONE));
    }

    RecordingHousekeeping(CallRepository calls, CallProperties properties, VoicemailBoxes voicemail) {
        this.calls = calls;
        this.properties = properties;
        this.voicemail = voicemail;
    }

    /**
     * After a reconnect the call engine first closes the calls that ended while we were away (their bridges, and so
     * their recordings, end then); only files of calls that are over are registered, so look a little later.
     */
    private static final java.time.Duration AFTER_RECONCILIATION = java.time.Duration.ofSeconds(5);

    private volatile Thread pending;

    @Override
    public void onConnected(AsteriskInfo info) {
        // Off the event thread: scanning and hashing files can take a while.
        pending = Thread.ofVirtual().name("recording-recovery").start(() -> {
            try {
                Thread.sleep(AFTER_RECONCILIATION);
                recover();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The application is stopping: a recovery still waiting would find the database gone. */
    @jakarta.annotation.PreDestroy
    void stop() {
        Thread thread = pending;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Also now and then: a recording whose end event was lost (a dropped event stream) is registered anyway. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
    void recoverPeriodically() {
        recover();
    }

    @Override
    public void onEvent(AsteriskEvent event) {
        // Recording events of live calls are handled by the call engine.
    }

    @Override
    public void onDisconnected() {
    }

    void recover() {
        Path directory = properties.recordingsDirectory();
        if (!Files.isDirectory(directory)) {
            return;
        }
        int recovered = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("." + Recordings.FORMAT)).toList()) {
                String name = file.getFileName().toString();
                name = name.substring(0, name.length() - Recordings.FORMAT.length() - 1);
                var callId = Recordings.callIdOf(name);
                // Only files of calls that are over: a live call's recording is still being written.
                if (callId.isEmpty() || calls.recordingKnown(name) || !calls.callEnded(callId.get())) {
                    continue;
                }
                Instant modified = Files.getLastModifiedTime(file).toInstant();
                calls.recordingFinished(name, modified, Recordings.facts(directory, name, Recordings.FORMAT), true);
                recovered++;
            }
        } catch (IOException | RuntimeException e) {
            log.error("Recovering recordings in {} failed", directory, e);
        }
        if (recovered > 0) {
            log.warn("Registered {} recording(s) that were written but never registered (crash)", recovered);
        }
        recoverVoicemail(directory);
    }

    /** No message records longer than ten minutes (a box's longest): one begun earlier whose end is unknown has ended. */
    private static final java.time.Duration LONGEST_MESSAGE = java.time.Duration.ofMinutes(11);

    private void recoverVoicemail(Path directory) {
        for (String name : voicemail.unfinishedMessages(clock.instant().minus(LONGEST_MESSAGE))) {
            try {
                Path file = directory.resolve(name + "." + VoicemailBoxes.FORMAT);
                Recordings.FileFacts facts = Recordings.facts(directory, name, VoicemailBoxes.FORMAT);
                Instant at = Files.isRegularFile(file) ? Files.getLastModifiedTime(file).toInstant() : clock.instant();
                voicemail.messageEnded(name, at, new VoicemailBoxes.MessageFile(facts.sizeBytes(),
                        facts.sha256(), facts.durationMillis()), facts.sizeBytes() == 0);
                log.warn("Registered voicemail {} whose end was never registered (crash)", name);
            } catch (IOException | RuntimeException e) {
                log.error("Recovering voicemail {} failed", name, e);
            }
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void applyRetention() {
        if (properties.recordingRetention().isZero()) {
            return;
        }
        Instant before = clock.instant().minus(properties.recordingRetention());
        for (String[] recording : calls.recordingsOlderThan(before)) {
            try {
                Files.deleteIfExists(properties.recordingsDirectory().resolve(recording[0] + "." + recording[1]));
                calls.recordingDeleted(recording[0], clock.instant());
            } catch (IOException e) {
                log.warn("Could not delete expired recording {}: {}", recording[0], e.getMessage());
            }
        }
    }
}
