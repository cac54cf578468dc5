package io.callcenter.it;

import java.util.List;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * Calls: placing one, the history, dispositions, mid-call commands, supervision and recordings.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsCalls {

    private PermissionRowsCalls() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        String call = "/api/calls/" + f.psychologyCall;
        // An invalid number: every check before dialling runs, and no call is ever placed.
        m.row("POST", "/api/calls", "/api/calls", "{\"number\":\"not a number\"}", NO_TOKEN, BAD, CONFLICT, BAD, CONFLICT, CONFLICT);
        // On behalf of alice: her manager and the admin may; Sales may not even learn she exists.
        m.row("POST", "/api/calls", "/api/calls", "{\"number\":\"not a number\",\"agentId\":\"" + f.aliceAgent + "\"}",
                NO_TOKEN, BAD, BAD, NOT_FOUND, NOT_FOUND, BAD);
        m.row("GET", "/api/calls", "/api/calls", null,                          NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("GET", "/api/calls/{id}", call, null,                             NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("POST", "/api/calls/{id}/disposition", call + "/disposition", "{\"code\":\"ANSWERED\"}",
                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("GET", "/api/calls/dispositions", "/api/calls/dispositions", null, NO_TOKEN, OK, OK, OK, OK, OK);
        // Mid-call commands on a call that is over: those who may touch it learn it is not in progress (or that
        // they have no phone); the other team learns nothing about it.
        m.row("POST", "/api/calls/{id}/participants", call + "/participants", "{\"target\":\"1002\"}",
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/transfer", call + "/transfer", "{\"target\":\"1002\",\"mode\":\"blind\"}",
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/transfer/complete", call + "/transfer/complete", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/transfer/cancel", call + "/transfer/cancel", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/recording/pause", call + "/recording/pause", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        m.row("POST", "/api/calls/{id}/recording/resume", call + "/recording/resume", null,
                NO_TOKEN, CONFLICT, CONFLICT, NOT_FOUND, NOT_FOUND, CONFLICT);
        // Supervision needs team:1, a call of one's team and a phone to ring; this call is over anyway.
        m.row("PUT", "/api/calls/{id}/supervision", call + "/supervision", "{\"mode\":\"listen\"}",
                NO_TOKEN, FORBIDDEN, CONFLICT, FORBIDDEN, NOT_FOUND, CONFLICT);
        m.row("DELETE", "/api/calls/{id}/supervision", call + "/supervision", null,
                NO_TOKEN, FORBIDDEN, CONFLICT, FORBIDDEN, NOT_FOUND, CONFLICT);
        // Nobody recorded this call: those who may see it learn that; the others learn nothing about it.
        Cell recording = m.row("GET", "/api/calls/{id}/recording", call + "/recording", null,
                NO_TOKEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND);
        for (Who who : List.of(Who.AGENT, Who.MANAGER, Who.ADMIN)) {
            recording.detail().put(who, "has no recording");
        }
        recording.detail().put(Who.OTHER_TEAM_AGENT, "No call with id");
        recording.detail().put(Who.OTHER_TEAM_MANAGER, "No call with id");
    }
}
