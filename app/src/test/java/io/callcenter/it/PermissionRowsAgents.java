package io.callcenter.it;

import java.util.UUID;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * What an agent does for themself: signing in and out, their own state, phone, queues, callbacks and previews.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsAgents {

    private PermissionRowsAgents() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        //                                                                      anon      alice      maria      carol      sam        admin
        m.row("POST", "/api/auth/login", "/api/auth/login",
                "{\"username\":\"bob\",\"password\":\"" + TestApp.USER_PASSWORD + "\"}", OK, OK, OK, OK, OK, OK);
        // Logout revokes the token it is sent with: each caller sends a fresh one (see signedOutToken).
        m.row("POST", "/api/auth/logout", "/api/auth/logout", null,             NO_TOKEN, NO_CONTENT, NO_CONTENT, NO_CONTENT, NO_CONTENT, NO_CONTENT);
        m.row("POST", "/api/auth/ws-ticket", "/api/auth/ws-ticket", null,       NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("GET", "/api/me", "/api/me", null,                                NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("POST", "/api/me/sip-credentials", "/api/me/sip-credentials", null, NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("GET", "/api/me/state", "/api/me/state", null,                    NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        // Scheduled callbacks: an agent's own (a call that is not a dialled lead of theirs is unknown to them).
        m.row("GET", "/api/me/callbacks", "/api/me/callbacks", null,            NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/callbacks", "/api/me/callbacks",
                "{\"callId\":\"" + UUID.randomUUID() + "\",\"at\":\"2030-01-02T10:00\"}",
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/callbacks/{id}/dial", "/api/me/callbacks/" + UUID.randomUUID() + "/dial", null,
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        // What an agent is offered (a preview or a due callback; none here) and their choice on a preview of theirs.
        m.row("GET", "/api/me/offer", "/api/me/offer", null,                    NO_TOKEN, NO_CONTENT, CONFLICT, NO_CONTENT, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/previews/{id}/dial", "/api/me/previews/" + UUID.randomUUID() + "/dial", null,
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        m.row("POST", "/api/me/previews/{id}/skip", "/api/me/previews/" + UUID.randomUUID() + "/skip", "{\"reason\":\"busy\"}",
                NO_TOKEN, NOT_FOUND, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
        m.row("PUT", "/api/me/state", "/api/me/state", "{\"state\":\"AVAILABLE\"}", NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("GET", "/api/me/queues", "/api/me/queues", null,                  NO_TOKEN, OK, CONFLICT, OK, CONFLICT, CONFLICT);
        m.row("PUT", "/api/me/queues/{queueId}", "/api/me/queues/" + f.psychologyQueue, "{\"loggedIn\":true}",
                                                                                NO_TOKEN, OK, CONFLICT, NOT_FOUND, CONFLICT, CONFLICT);
    }
}
