package io.callcenter.it;

import java.util.UUID;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * Voicemail boxes and messages.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsVoicemail {

    private PermissionRowsVoicemail() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        // Voicemail: like recordings, agents hear their own and their team's boxes, managers their team's, administrators
        // all; another team's box or message does not exist. Boxes are configured with inbound routing (inbound:2).
        String box = "/api/voicemail/boxes/" + f.psychologyBox;
        String voicemail = "/api/voicemail/messages/" + f.psychologyVoicemail;
        m.row("GET", "/api/voicemail/boxes", "/api/voicemail/boxes", null,      NO_TOKEN, OK, OK, OK, OK, OK);
        // The team has its box already: who may configure it learns that.
        m.row("POST", "/api/voicemail/boxes", "/api/voicemail/boxes", "{\"teamId\":\"" + f.psychology + "\",\"name\":\"Matrix {n}\"}",
                NO_TOKEN, FORBIDDEN, CONFLICT, FORBIDDEN, NOT_FOUND, CONFLICT);
        m.row("PUT", "/api/voicemail/boxes/{id}", box, "{\"name\":\"Matrix box\",\"greeting\":\"sound:vm-intro\"}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/voicemail/boxes/{id}/greeting", box + "/greeting", "not a recording", "audio/wav",
                NO_TOKEN, FORBIDDEN, BAD, FORBIDDEN, NOT_FOUND, BAD);
        m.row("GET", "/api/voicemail/boxes/{id}/messages", box + "/messages", null,
                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("GET", "/api/voicemail/messages/{id}/audio", voicemail + "/audio", null,
                NO_TOKEN, OK, OK, NOT_FOUND, NOT_FOUND, OK);
        m.row("POST", "/api/voicemail/messages/{id}/heard", voicemail + "/heard", null,
                NO_TOKEN, NO_CONTENT, NO_CONTENT, NOT_FOUND, NOT_FOUND, NO_CONTENT);
        // No message of that id: nobody learns anything (the row above keeps the real one for the others).
        m.row("DELETE", "/api/voicemail/messages/{id}", "/api/voicemail/messages/" + UUID.randomUUID(), null,
                NO_TOKEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND);
    }
}
