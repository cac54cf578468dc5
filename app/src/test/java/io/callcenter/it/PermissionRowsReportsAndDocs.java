package io.callcenter.it;

import java.util.List;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * Reports, and the API's own document.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsReportsAndDocs {

    private PermissionRowsReportsAndDocs() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        // Reports: a manager's own team; another team's answers 404 like one that does not exist.
        String day = "&from=2026-03-10&to=2026-03-10&zone=America/New_York";
        for (String report : List.of("/api/reports/intervals", "/api/reports/intervals.csv", "/api/reports/agents",
                "/api/reports/agents.csv", "/api/reports/campaigns", "/api/reports/campaigns.csv", "/api/reports/calls.csv")) {
            m.row("GET", report, report + "?teamId=" + f.psychology + day, null, NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        }
        // The API's own document: any signed-in user.
        m.row("GET", "/api/docs/openapi", "/api/docs/openapi", null,           NO_TOKEN, OK, OK, OK, OK, OK);
        m.row("GET", "/api/docs/openapi.yaml", "/api/docs/openapi.yaml", null, NO_TOKEN, OK, OK, OK, OK, OK);
    }
}
