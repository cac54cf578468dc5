package io.callcenter.it;

import java.util.UUID;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * The dialer's campaigns, their leads, statistics, compliance and safe-harbor audio.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsCampaigns {

    private PermissionRowsCampaigns() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        String campaign = "/api/campaigns/" + f.psychologyCampaign;
        // Campaigns are managers' work (campaigns:2), each for their own team; another team's campaign does not exist
        // for them.
        m.row("GET", "/api/campaigns", "/api/campaigns", null,                  NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/campaigns", "/api/campaigns",
                "{\"name\":\"Matrix {n}\",\"teamId\":\"" + f.psychology + "\"," + PermissionFixture.SAFE_HARBOR + "}",
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("GET", "/api/campaigns/{id}", campaign, null,                     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/campaigns/{id}", campaign, "{\"dialRatio\":\"2.0\"}", NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/campaigns/{id}/enabled", campaign + "/enabled", "{\"enabled\":false}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("POST", "/api/campaigns/{id}/leads", campaign + "/leads", "phone\n+1212555040{n}\n", "text/csv",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/leads", campaign + "/leads", null,    NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/leads/{leadId}", campaign + "/leads/" + f.psychologyLead, null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/stats", campaign + "/stats", null,    NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/callbacks", campaign + "/callbacks", null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/compliance", campaign + "/compliance", null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("GET", "/api/campaigns/{id}/compliance.csv", campaign + "/compliance.csv", null,
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("POST", "/api/campaigns/{id}/recycle", campaign + "/recycle", "{\"statuses\":[\"NO_ANSWER\"]}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        // Text is no recording: the campaign's managers are told why, nobody else learns anything.
        m.row("PUT", "/api/campaigns/{id}/safe-harbor-audio", campaign + "/safe-harbor-audio", "not a recording", "audio/wav",
                NO_TOKEN, FORBIDDEN, BAD, FORBIDDEN, NOT_FOUND, BAD);
        // No attempt of that id: the campaign's managers learn that, nobody else learns anything.
        m.row("POST", "/api/campaigns/{id}/attempts/{attemptId}/detection-error",
                campaign + "/attempts/" + UUID.randomUUID() + "/detection-error", "{}",
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
    }
}
