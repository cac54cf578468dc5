package io.callcenter.call.api;

import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.identity.Caller;
import io.callcenter.web.ApiProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * A queue's press-1 callbacks: who asked, when they joined (the place kept), where the callback is and why one
 * failed. The team's agents (who will make them) and managers see them; another team's queue answers 404.
 */
@RestController
@RequestMapping("/api/queues/{queueId}/callbacks")
class QueueCallbacksController {

    private static final int MAX_LIMIT = 500;

    private final QueueRepository queues;

    QueueCallbacksController(QueueRepository queues) {
        this.queues = queues;
    }

    @GetMapping
    List<QueueRepository.Callback> callbacks(Caller caller, @PathVariable UUID queueId,
                                             @RequestParam(defaultValue = "100") int limit) {
        QueueSettings queue = queues.byId(queueId)
                .filter(q -> caller.isAdmin() || caller.teamId() != null && caller.teamId().equals(q.teamId()))
                .orElseThrow(() -> ApiProblem.notFound("No queue " + queueId));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        return queues.callbacks(queue.id(), limit);
    }
}
