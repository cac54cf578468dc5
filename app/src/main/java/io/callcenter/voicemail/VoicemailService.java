package io.callcenter.voicemail;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;
import io.callcenter.web.WavAudio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Boxes and messages: who sees what, the messages the call module records, and telling pages and desk phones.
 *
 * <p>The same rules as call recordings: agents hear their own box and their team's box, managers every box of their
 * team, administrators all; any other box or message answers 404, as one that does not exist. Boxes are configured
 * by whoever configures the team's inbound routing ({@code inbound:2}).
 */
@Service
public class VoicemailService implements VoicemailBoxes {

    private static final Logger log = LoggerFactory.getLogger(VoicemailService.class);
    /** Shorter than this is a caller who hung up at the beep: no message. */
    static final Duration NOTHING_SAID = Duration.ofSeconds(1);
    static final double GREETING_MIN_SECONDS = 1;
    static final int GREETING_MAX_SECONDS = 60;

    public record BoxJson(UUID id, UUID teamId, UUID agentId, String name, String greeting, Boolean greetingUploaded,
                          Integer maxMessageSeconds, Integer maxSilenceSeconds, Integer newMessages, Integer messages) {
        static BoxJson of(VoicemailBox box, int[] counts) {
            return new BoxJson(box.id(), box.teamId(), box.agentId(), box.name(), box.greeting(), box.greetingUploaded(),
                    (int) box.maxMessage().toSeconds(), (int) box.maxSilence().toSeconds(), counts[0], counts[0] + counts[1]);
        }
    }

    public record MessageJson(UUID id, UUID boxId, UUID callId, String from, Instant at, Long durationMillis,
                              Long sizeBytes, String sha256, boolean heard, String audioUrl) {
        static MessageJson of(VoicemailRepository.Message m) {
            return new MessageJson(m.id(), m.boxId(), m.callId(), m.callerNumber(), m.startedAt(), m.durationMillis(),
                    m.sizeBytes(), m.sha256(), m.heardAt() != null, "/api/voicemail/messages/" + m.id() + "/audio");
        }
    }

    private final VoicemailRepository repository;
    private final ApplicationEventPublisher events;
    private final MessageWaiting messageWaiting;
    private final Path directory;
    private final Clock clock = Clock.systemUTC();

    VoicemailService(VoicemailRepository repository, ApplicationEventPublisher events, MessageWaiting messageWaiting,
                     @Value("${callcenter.calls.recordings-directory:.run/asterisk/spool/recording}") String directory) {
        this.repository = repository;
        this.events = events;
        this.messageWaiting = messageWaiting;
        this.directory = Path.of(directory).toAbsolutePath().normalize();
    }

    // ---------------------------------------------------------------- for the call module

    @Override
    public Optional<VoicemailBox> box(UUID boxId) {
        return repository.box(boxId);
    }

    @Override
    public void messageStarted(UUID boxId, UUID callId, String callerNumber, String recordingName, Instant at) {
        repository.messageStarted(boxId, callId, callerNumber, recordingName, FORMAT, at);
    }

    @Override
    public boolean messageEnded(String recordingName, Instant at, MessageFile file, boolean failed) {
        boolean nothing = failed || file.durationMillis() < NOTHING_SAID.toMillis();
        Optional<VoicemailRepository.Message> message = repository.messageEnded(recordingName, at, file, nothing);
        if (message.isEmpty() || nothing) {
            return false;
        }
        repository.box(message.get().boxId()).ifPresent(box -> changed(box, message.get(), "new"));
        return true;
    }

    @Override
    public List<String> unfinishedMessages(Instant startedBefore) {
        return repository.unfinished(startedBefore);
    }

    // ---------------------------------------------------------------- boxes

    /** The boxes the caller may hear, with their counts. */
    public List<BoxJson> boxes(Caller caller) {
        caller.require(Permissions.CALLS_HISTORY);
        List<VoicemailBox> boxes = repository.boxes(caller.isAdmin() ? null : caller.teamId()).stream()
                .filter(box -> sees(caller, box)).toList();
        Map<UUID, int[]> counts = repository.counts(boxes.stream().map(VoicemailBox::id).toList());
        return boxes.stream().map(box -> BoxJson.of(box, counts.getOrDefault(box.id(), new int[2]))).toList();
    }

    public BoxJson createBox(Caller caller, BoxJson request) {
        caller.require(Permissions.INBOUND_WRITE);
        UUID teamId = request.agentId() != null
                ? repository.agentTeam(request.agentId()).filter(caller::seesTeam)
                        .orElseThrow(() -> ApiProblem.notFound("No agent with id " + request.agentId()))
                : request.teamId() != null ? request.teamId() : caller.teamId();
        if (teamId == null) {
            throw ApiProblem.badRequest("teamId or agentId is required");
        }
        if (!caller.seesTeam(teamId)) {
            throw ApiProblem.notFound("No team with id " + teamId);
        }
        if (request.agentId() == null ? repository.teamHasBox(teamId) : repository.agentHasBox(request.agentId())) {
            throw ApiProblem.conflict("box-exists", "Box exists", request.agentId() == null
                    ? "The team already has its box" : "The agent already has a box");
        }
        VoicemailBox box = parse(UUID.randomUUID(), teamId, request.agentId(), false, request);
        repository.save(box);
        return BoxJson.of(box, new int[2]);
    }

    public BoxJson updateBox(Caller caller, UUID id, BoxJson request) {
        caller.require(Permissions.INBOUND_WRITE);
        VoicemailBox existing = configurable(caller, id);
        VoicemailBox box = parse(id, existing.teamId(), existing.agentId(), existing.greetingUploaded(), request);
        repository.save(box);
        return BoxJson.of(box, repository.counts(List.of(id)).getOrDefault(id, new int[2]));
    }

    /** The box's greeting as an 8 kHz WAV; it replaces a sound name, and Asterisk plays it from its recordings. */
    public BoxJson uploadGreeting(Caller caller, UUID id, byte[] wav) {
        caller.require(Permissions.INBOUND_WRITE);
        VoicemailBox box = configurable(caller, id);
        Optional<String> problem = WavAudio.problem(wav, GREETING_MIN_SECONDS, GREETING_MAX_SECONDS);
        if (problem.isPresent()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "unplayable-greeting", "Greeting not playable",
                    "The greeting " + problem.get() + ": upload WAV, 16-bit linear PCM, mono, 8000 Hz, "
                            + (int) GREETING_MIN_SECONDS + " to " + GREETING_MAX_SECONDS + " seconds");
        }
        try {
            Path file = directory.resolve(VoicemailBox.greetingName(id) + ".wav");
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            Files.write(partial, wav);
            // Whole or not at all: a caller may be hearing the previous greeting right now.
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the greeting of box " + id, e);
        }
        repository.greetingUploaded(id, clock.instant());
        return boxes(caller).stream().filter(b -> b.id().equals(id)).findFirst()
                .orElseGet(() -> BoxJson.of(box, new int[2]));
    }

    // ---------------------------------------------------------------- messages

    public List<MessageJson> messages(Caller caller, UUID boxId) {
        visibleBox(caller, boxId);
        return repository.messages(boxId).stream().map(MessageJson::of).toList();
    }

    /** The file of a message the caller may hear. */
    public Path audio(Caller caller, UUID messageId) {
        VoicemailRepository.Message message = visibleMessage(caller, messageId);
        Path file = directory.resolve(message.recordingName() + "." + message.format()).normalize();
        if (!file.startsWith(directory) || !Files.isReadable(file)) {
            throw ApiProblem.notFound("The recording of message " + messageId + " is missing");
        }
        return file;
    }

    public void heard(Caller caller, UUID messageId) {
        VoicemailRepository.Message message = visibleMessage(caller, messageId);
        if (message.heardAt() == null) {
            repository.heard(messageId, clock.instant());
            repository.box(message.boxId()).ifPresent(box -> changed(box, message, "heard"));
        }
    }

    public void delete(Caller caller, UUID messageId) {
        VoicemailRepository.Message message = visibleMessage(caller, messageId);
        delete(message, caller.username());
    }

    /** Messages past the retention: the file goes, the row stays with the time of deletion. */
    void deleteOlderThan(Instant before) {
        for (VoicemailRepository.Message message : repository.olderThan(before)) {
            delete(message, "retention");
        }
    }

    private void delete(VoicemailRepository.Message message, String by) {
        try {
            Files.deleteIfExists(directory.resolve(message.recordingName() + "." + message.format()));
        } catch (IOException e) {
            log.warn("Could not delete voicemail {}: {}", message.recordingName(), e.getMessage());
            return;
        }
        repository.deleted(message.id(), clock.instant(), by);
        repository.box(message.boxId()).ifPresent(box -> changed(box, message, "deleted"));
    }

    // ---------------------------------------------------------------- rules and notices

    /** Agents: their own box and their team's; managers: their team's boxes; administrators: all. */
    static boolean sees(Caller caller, VoicemailBox box) {
        if (caller.isAdmin()) {
            return true;
        }
        if (!box.teamId().equals(caller.teamId())) {
            return false;
        }
        return caller.has(Permissions.TEAM_READ) || box.isTeamBox() || box.agentId().equals(caller.agentId());
    }

    private VoicemailBox visibleBox(Caller caller, UUID boxId) {
        caller.require(Permissions.CALLS_HISTORY);
        return repository.box(boxId).filter(box -> sees(caller, box))
                .orElseThrow(() -> ApiProblem.notFound("No voicemail box with id " + boxId));
    }

    private VoicemailRepository.Message visibleMessage(Caller caller, UUID messageId) {
        caller.require(Permissions.CALLS_HISTORY);
        return repository.message(messageId)
                .filter(message -> repository.box(message.boxId()).filter(box -> sees(caller, box)).isPresent())
                .orElseThrow(() -> ApiProblem.notFound("No voicemail message with id " + messageId));
    }

    private VoicemailBox configurable(Caller caller, UUID id) {
        return repository.box(id).filter(box -> caller.seesTeam(box.teamId()))
                .orElseThrow(() -> ApiProblem.notFound("No voicemail box with id " + id));
    }

    private void changed(VoicemailBox box, VoicemailRepository.Message message, String change) {
        List<UUID> agents = repository.agentsSeeing(box);
        try {
            events.publishEvent(new VoicemailChanged(box.id(), box.name(), message.id(), change, message.callerNumber(),
                    new HashSet<>(agents)));
        } catch (RuntimeException e) {
            log.warn("Telling pages of voicemail {} failed: {}", message.id(), e.getMessage());
        }
        messageWaiting.boxChanged(box);
    }

    private static VoicemailBox parse(UUID id, UUID teamId, UUID agentId, boolean uploaded, BoxJson request) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
            throw ApiProblem.badRequest("name is required (at most 100 characters)");
        }
        String greeting = request.greeting() == null || request.greeting().isBlank() ? null : request.greeting();
        if (greeting != null && !io.callcenter.destination.Destination.SOUND.matcher(greeting).matches()) {
            throw ApiProblem.badRequest("greeting: an Asterisk sound such as sound:vm-intro (or upload a WAV to .../greeting)");
        }
        int maxMessage = request.maxMessageSeconds() == null ? 120 : request.maxMessageSeconds();
        int maxSilence = request.maxSilenceSeconds() == null ? 5 : request.maxSilenceSeconds();
        if (maxMessage < 5 || maxMessage > 600 || maxSilence < 1 || maxSilence > 60) {
            throw ApiProblem.badRequest("maxMessageSeconds is 5-600 and maxSilenceSeconds 1-60");
        }
        return new VoicemailBox(id, teamId, agentId, request.name().trim(), greeting, uploaded && greeting == null,
                Duration.ofSeconds(maxMessage), Duration.ofSeconds(maxSilence));
    }
}
