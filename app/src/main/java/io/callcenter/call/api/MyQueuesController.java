package io.callcenter.call.api;

import io.callcenter.call.engine.CallEngine;
import io.callcenter.call.queue.QueueRepository;
import io.callcenter.identity.Caller;
import io.callcenter.web.ApiProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * The agent's own queues (the agent page): which queues they serve, at which skill level, and logging into or out of
 * each. A queue the agent is no member of answers 404, whoever's it is.
 */
@RestController
@RequestMapping("/api/me/queues")
class MyQueuesController {

    private final QueueRepository queues;
    private final CallEngine engine;

    MyQueuesController(QueueRepository queues, CallEngine engine) {
        this.queues = queues;
        this.engine = engine;
    }

    record LoginRequest(Boolean loggedIn) {
    }

    @GetMapping
    List<QueueRepository.Membership> mine(Caller caller) {
        return queues.memberships(caller.requireAgent());
    }

    @PutMapping("/{queueId}")
    QueueRepository.Membership login(Caller caller, @PathVariable UUID queueId, @RequestBody(required = false) LoginRequest request) {
        UUID agentId = caller.requireAgent();
        if (request == null || request.loggedIn() == null) {
            throw ApiProblem.badRequest("loggedIn (true or false) is required");
        }
        if (!queues.setLoggedIn(queueId, agentId, request.loggedIn())) {
            throw ApiProblem.notFound("No queue " + queueId + " among yours");
        }
        if (request.loggedIn()) {
            // Callers may be waiting in the queue just joined.
            engine.agentMayBeFree();
        }
        return queues.memberships(agentId).stream().filter(m -> m.queueId().equals(queueId)).findFirst().orElseThrow();
    }
}
