package io.callcenter.it;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * Administration (users and teams), the team's agents, and the console managers watch.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsAdministration {

    private PermissionRowsAdministration() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        String psy = "/api/admin/teams/" + f.psychology;
        m.row("GET", "/api/admin/users", "/api/admin/users", null,              NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("POST", "/api/admin/users", "/api/admin/users", """
                {"username":"matrix-{n}","displayName":"Matrix {n}","role":"agent","teamId":"%s","password":"%s"}"""
                .formatted(f.psychology, TestApp.USER_PASSWORD),                  NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("GET", "/api/admin/users/{id}", "/api/admin/users/" + f.aliceUser, null,
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        // A manager may not edit even their own team's agent: users are the administrators' business.
        m.row("PATCH", "/api/admin/users/{id}", "/api/admin/users/" + f.bobUser, "{\"displayName\":\"Bob Agent\"}",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("PATCH", "/api/admin/users/{id}", "/api/admin/users/" + f.aliceUser, "{\"role\":\"admin\"}",
                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CONFLICT);
        m.row("GET", "/api/admin/teams", "/api/admin/teams", null,              NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("POST", "/api/admin/teams", "/api/admin/teams", "{\"name\":\"Matrix {n}\",\"callerIdNumber\":\"+1212555080{n}\"}",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("PUT", "/api/admin/teams/{id}", psy, """
                {"callerIdNumber":"+15550100","maxCallSeconds":21600,"allowedPrefixes":["+1"],"wrapUpSeconds":0}""",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("PUT", "/api/admin/teams/{id}/recording", psy + "/recording",
                "{\"record\":true,\"announcement\":\"sound:conf-now-recording\"}",
                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK);
        m.row("POST", "/api/admin/teams/{id}/numbers", psy + "/numbers", "{\"number\":\"+1212555070{n}\"}",
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, CREATED);
        m.row("DELETE", "/api/admin/teams/{id}/numbers/{e164}", psy + "/numbers/+1212555090{n}", null,
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NO_CONTENT);

        m.row("GET", "/api/team/agents", "/api/team/agents", null,              NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("GET", "/api/team/agents", "/api/team/agents?teamId=" + f.psychology, null,
                                                                                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK);
        m.row("GET", "/api/team/agents", "/api/team/agents?teamId=" + f.sales, null,
                                                                                NO_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK);

        // The console: managers watch their own team, administrators any; another team's wallboard does not exist.
        m.row("GET", "/api/console/teams", "/api/console/teams", null,          NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("GET", "/api/console/wallboard", "/api/console/wallboard", null,  NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("GET", "/api/console/wallboard", "/api/console/wallboard?teamId=" + f.psychology, null,
                                                                                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
    }
}
