package io.callcenter.call.api;

import io.callcenter.identity.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** Queues and their members: administrators for every team, managers for their own (see {@link QueueAdmin}). */
@RestController
@RequestMapping("/api/queues")
class QueueAdminController {

    private final QueueAdmin admin;

    QueueAdminController(QueueAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    List<QueueAdmin.QueueJson> list(Caller caller) {
        return admin.list(caller);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    QueueAdmin.QueueJson create(Caller caller, @RequestBody QueueAdmin.QueueJson request) {
        return admin.create(caller, request);
    }

    @GetMapping("/{id}")
    QueueAdmin.QueueJson get(Caller caller, @PathVariable UUID id) {
        return admin.get(caller, id);
    }

    @PutMapping("/{id}")
    QueueAdmin.QueueJson update(Caller caller, @PathVariable UUID id, @RequestBody QueueAdmin.QueueJson request) {
        return admin.update(caller, id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable UUID id) {
        admin.delete(caller, id);
    }

    @GetMapping("/{id}/members")
    List<QueueAdmin.MemberJson> members(Caller caller, @PathVariable UUID id) {
        return admin.members(caller, id);
    }

    /** Adds the agent or changes their level ({@code level} 1-9) and login; answers the queue's members. */
    @PutMapping("/{id}/members/{agentId}")
    List<QueueAdmin.MemberJson> saveMember(Caller caller, @PathVariable UUID id, @PathVariable UUID agentId,
                                           @RequestBody(required = false) QueueAdmin.MemberJson request) {
        return admin.saveMember(caller, id, agentId, request);
    }

    @DeleteMapping("/{id}/members/{agentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMember(Caller caller, @PathVariable UUID id, @PathVariable UUID agentId) {
        admin.removeMember(caller, id, agentId);
    }
}
