package io.callcenter.voicemail;

import io.callcenter.identity.Caller;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Voicemail boxes and their messages: listened to in the softphone page, configured with inbound routing. */
@RestController
class VoicemailController {

    private final VoicemailService service;

    VoicemailController(VoicemailService service) {
        this.service = service;
    }

    @GetMapping("/api/voicemail/boxes")
    List<VoicemailService.BoxJson> boxes(Caller caller) {
        return service.boxes(caller);
    }

    @PostMapping("/api/voicemail/boxes")
    @ResponseStatus(HttpStatus.CREATED)
    VoicemailService.BoxJson create(Caller caller, @RequestBody VoicemailService.BoxJson request) {
        return service.createBox(caller, request);
    }

    @PutMapping("/api/voicemail/boxes/{id}")
    VoicemailService.BoxJson update(Caller caller, @PathVariable UUID id, @RequestBody VoicemailService.BoxJson request) {
        return service.updateBox(caller, id, request);
    }

    @PutMapping("/api/voicemail/boxes/{id}/greeting")
    VoicemailService.BoxJson greeting(Caller caller, @PathVariable UUID id, @RequestBody(required = false) byte[] wav) {
        return service.uploadGreeting(caller, id, wav);
    }

    @GetMapping("/api/voicemail/boxes/{id}/messages")
    List<VoicemailService.MessageJson> messages(Caller caller, @PathVariable UUID id) {
        return service.messages(caller, id);
    }

    @GetMapping("/api/voicemail/messages/{id}/audio")
    ResponseEntity<Resource> audio(Caller caller, @PathVariable UUID id) {
        Path file = service.audio(caller, id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("audio/wav"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"voicemail-" + id + ".wav\"")
                .body(new FileSystemResource(file));
    }

    @PostMapping("/api/voicemail/messages/{id}/heard")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void heard(Caller caller, @PathVariable UUID id) {
        service.heard(caller, id);
    }

    @DeleteMapping("/api/voicemail/messages/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id) {
        service.delete(caller, id);
    }
}
