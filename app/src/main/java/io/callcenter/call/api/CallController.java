package io.callcenter.call.api;

import io.callcenter.call.engine.CallEngine;
import io.callcenter.call.engine.LiveViews;
import io.callcenter.call.model.CallProperties;
import io.callcenter.call.store.CallPage;
import io.callcenter.call.store.CallRepository;
import io.callcenter.call.store.CallView;
import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Calls: place one (dialpad, redial, CRM click-to-dial), the history, dispositions and recordings. Everyone sees
 * only the calls they may: their own (agents), their team's (managers), all (administrators). A call outside that
 * answers 404, exactly like a call that does not exist.
 */
@RestController
@RequestMapping("/api/calls")
class CallController {

    private static final int MAX_LIMIT = 200;

    private final CallRepository calls;
    private final CallService service;
    private final Path recordingsDirectory;
    private final LiveViews live;

    CallController(CallRepository calls, CallService service, CallProperties properties, CallEngine engine) {
        this.calls = calls;
        this.service = service;
        this.recordingsDirectory = properties.recordingsDirectory();
        this.live = engine.views();
    }

    record PlaceRequest(String number, String leadId, UUID agentId) {
    }

    record DispositionRequest(String code, String note) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    CallService.Placed place(Caller caller, @RequestBody PlaceRequest request) {
        return service.place(caller, request.number(), request.leadId(), request.agentId());
    }

    /**
     * A call this instance runs comes from the engine's memory: its row is written behind its steps, and a screen
     * told of a change must read that change. Others (ended, or run by another instance) come from their row.
     */
    @GetMapping("/{id}")
    CallView call(Caller caller, @PathVariable UUID id) {
        return visible(caller, id).orElseThrow(() -> ApiProblem.notFound("No call with id " + id));
    }

    private Optional<CallView> visible(Caller caller, UUID id) {
        CallRepository.Scope scope = scopeOf(caller);
        Optional<CallView> inMemory = live.view(id);
        return inMemory.isPresent() ? inMemory.filter(scope::sees) : calls.find(id, scope);
    }

    /** Newest first. {@code cursor} is the {@code nextCursor} of the previous page. */
    @GetMapping
    CallPage page(Caller caller, @RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        Cursor after = cursor == null ? null : Cursor.decode(cursor);
        CallRepository.Scope scope = scopeOf(caller);
        List<CallView> items = withLiveCalls(calls.page(limit + 1, after == null ? null : after.createdAt(),
                after == null ? null : after.id(), scope), after, scope, limit + 1);
        if (items.size() <= limit) {
            return new CallPage(items, null);
        }
        List<CallView> page = items.subList(0, limit);
        CallView last = page.getLast();
        return new CallPage(List.copyOf(page), new Cursor(last.createdAt(), last.id()).encode());
    }

    /**
     * The page's calls that this instance runs, from memory (as {@link #call}), and those not written yet in their
     * place in the order: the newest {@code size} of both, so the keyset stays exact. Their events are left out, as
     * the rows' are.
     */
    private List<CallView> withLiveCalls(List<CallView> rows, Cursor after, CallRepository.Scope scope, int size) {
        Map<UUID, CallView> merged = new java.util.LinkedHashMap<>();
        rows.forEach(row -> merged.put(row.id(), row));
        for (CallView call : live.all()) {
            if (scope.sees(call) && (after == null || after.precedes(call))) {
                merged.put(call.id(), withoutEvents(call));
            }
        }
        return merged.values().stream().sorted(NEWEST_FIRST).limit(size).toList();
    }

    /** PostgreSQL compares uuids byte by byte, as their hex strings compare; {@link UUID#compareTo} is signed. */
    private static final java.util.Comparator<CallView> NEWEST_FIRST = java.util.Comparator
            .comparing(CallView::createdAt).thenComparing(call -> call.id().toString()).reversed();

    private static CallView withoutEvents(CallView c) {
        return new CallView(c.id(), c.direction(), c.state(), c.number(), c.fromNumber(), c.toNumber(), c.leadId(),
                c.agentId(), c.teamId(), c.createdAt(), c.answeredAt(), c.endedAt(), c.hangupCause(),
                c.durationSeconds(), c.disposition(), c.dispositionNote(), c.recordingUrl(), c.recordingState(),
                c.recordingFailed(), c.transfer(), c.legs(), List.of());
    }

    @PostMapping("/{id}/disposition")
    Map<String, String> dispose(Caller caller, @PathVariable UUID id, @RequestBody DispositionRequest request) {
        service.dispose(caller, id, request.code(), request.note());
        return Map.of("callId", id.toString(), "disposition", request.code());
    }

    record TargetRequest(String target, String mode) {
    }

    /** Conference: dials a third party into the call (an extension, {@code team:<name>} or a number). */
    @PostMapping("/{id}/participants")
    @ResponseStatus(HttpStatus.ACCEPTED)
    CallService.Started addParticipant(Caller caller, @PathVariable UUID id, @RequestBody TargetRequest request) {
        requireVisible(caller, id);
        return service.addParticipant(caller, id, request.target());
    }

    /** {@code mode}: blind (default) or attended (consult first, then complete or cancel). */
    @PostMapping("/{id}/transfer")
    @ResponseStatus(HttpStatus.ACCEPTED)
    CallService.Started transfer(Caller caller, @PathVariable UUID id, @RequestBody TargetRequest request) {
        requireVisible(caller, id);
        return service.transfer(caller, id, request.target(), request.mode());
    }

    @PostMapping("/{id}/transfer/complete")
    Map<String, String> completeTransfer(Caller caller, @PathVariable UUID id) {
        requireVisible(caller, id);
        service.completeTransfer(caller, id);
        return Map.of("callId", id.toString(), "transfer", "COMPLETED");
    }

    @PostMapping("/{id}/transfer/cancel")
    Map<String, String> cancelTransfer(Caller caller, @PathVariable UUID id) {
        requireVisible(caller, id);
        service.cancelTransfer(caller, id);
        return Map.of("callId", id.toString(), "transfer", "CANCELLED");
    }

    /** Payment pause (PCI DSS): while card details are spoken, the recording holds silence. */
    @PostMapping("/{id}/recording/pause")
    Map<String, Object> pauseRecording(Caller caller, @PathVariable UUID id) {
        requireVisible(caller, id);
        return Map.of("callId", id.toString(), "paused", service.pauseRecording(caller, id, true));
    }

    @PostMapping("/{id}/recording/resume")
    Map<String, Object> resumeRecording(Caller caller, @PathVariable UUID id) {
        requireVisible(caller, id);
        return Map.of("callId", id.toString(), "paused", service.pauseRecording(caller, id, false));
    }

    private void requireVisible(Caller caller, UUID id) {
        visible(caller, id).orElseThrow(() -> ApiProblem.notFound("No call with id " + id));
    }

    @GetMapping("/dispositions")
    List<Map<String, String>> dispositions(Caller caller) {
        caller.require(Permissions.CALLS_HISTORY);
        return calls.dispositionCodes().stream().map(code -> Map.of("code", code[0], "label", code[1])).toList();
    }

    /** Streams the call's recording to those who may see the call. */
    @GetMapping("/{id}/recording")
    ResponseEntity<Resource> recording(Caller caller, @PathVariable UUID id) {
        calls.find(id, scopeOf(caller)).orElseThrow(() -> ApiProblem.notFound("No call with id " + id));
        CallRepository.RecordingFile recording = calls.recording(id)
                .orElseThrow(() -> ApiProblem.notFound("Call " + id + " has no recording"));
        Path file = recordingsDirectory.resolve(recording.name() + "." + recording.format()).normalize();
        if (!file.startsWith(recordingsDirectory) || !Files.isReadable(file)) {
            throw ApiProblem.notFound("The recording file of call " + id + " is missing");
        }
        return ResponseEntity.ok()
                .contentType(mediaType(recording.format()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"call-" + id + "." + recording.format() + "\"")
                .body(new FileSystemResource(file));
    }

    private static MediaType mediaType(String format) {
        return switch (format) {
            case "wav" -> MediaType.parseMediaType("audio/wav");
            case "gsm" -> MediaType.parseMediaType("audio/x-gsm");
            case "ogg", "opus" -> MediaType.parseMediaType("audio/ogg");
            default -> MediaType.APPLICATION_OCTET_STREAM;
        };
    }

    static CallRepository.Scope scopeOf(Caller caller) {
        caller.require(Permissions.CALLS_HISTORY);
        if (caller.isAdmin()) {
            return new CallRepository.Scope(true, null, null);
        }
        return new CallRepository.Scope(false, caller.has(Permissions.TEAM_READ) ? caller.teamId() : null, caller.agentId());
    }

    /** Opaque to clients; (created_at, id) of the last row seen. */
    record Cursor(Instant createdAt, UUID id) {
        /** Whether the call comes after this cursor, newest first: (created_at, id) below it, as PostgreSQL orders. */
        boolean precedes(CallView call) {
            int time = call.createdAt().compareTo(createdAt);
            return time < 0 || (time == 0 && call.id().toString().compareTo(id.toString()) < 0);
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String value) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split("\\|");
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw ApiProblem.badRequest("cursor is not one this API returned");
            }
        }
    }
}
