package io.callcenter.it;

import java.util.UUID;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * Queues: a queue's callbacks, and queue administration (managers their own team's, administrators every team's).
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsQueues {

    private PermissionRowsQueues() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        // A queue's callbacks: its team's agents and managers; the other team learns nothing of it.
        m.row("GET", "/api/queues/{queueId}/callbacks", "/api/queues/" + f.psychologyQueue + "/callbacks", null,
                                                                                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        // Queue administration: managers their own team's queues and members, administrators every team's.
        String queue = "/api/queues/" + f.psychologyQueue;
        String queueBody = "{\"teamId\":\"%s\",\"name\":\"%s\",\"strategy\":\"longest_idle\"}";
        m.row("GET", "/api/queues", "/api/queues", null,                        NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/queues", "/api/queues", queueBody.formatted(f.psychology, "Matrix {n}"),
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, NOT_FOUND, CREATED);
        m.row("GET", "/api/queues/{id}", queue, null,                          NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/queues/{id}", queue, queueBody.formatted(f.psychology, "Matrix queue"),
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/queues/{id}", "/api/queues/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
        m.row("GET", "/api/queues/{id}/members", queue + "/members", null,     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/queues/{id}/members/{agentId}", queue + "/members/" + f.aliceAgent, "{\"level\":1,\"loggedIn\":true}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/queues/{id}/members/{agentId}", queue + "/members/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
    }
}
