package io.callcenter.it;

import java.util.UUID;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * Inbound routing: schedules, menus and where a number's calls go.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsInbound {

    private PermissionRowsInbound() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        // Inbound routing: managers configure their own team's (inbound:2), administrators every team's; another
        // team's schedule or number does not exist for them.
        String schedule = "/api/schedules/" + f.psychologySchedule;
        String routed = "/api/numbers/" + PermissionFixture.ROUTED_NUMBER + "/destination";
        m.row("GET", "/api/schedules", "/api/schedules", null,                  NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/schedules", "/api/schedules", PermissionFixture.SCHEDULE_BODY.formatted(f.psychology, "Matrix {n}"),
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, NOT_FOUND, CREATED);
        m.row("GET", "/api/schedules/{id}", schedule, null,                     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/schedules/{id}", schedule, PermissionFixture.SCHEDULE_BODY.formatted(f.psychology, "Matrix office"),
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        // A schedule nobody has: who may manage schedules learns that; agents are refused first.
        m.row("DELETE", "/api/schedules/{id}", "/api/schedules/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
        String menuBody = """
                {"teamId":"%s","name":"%s","prompt":"sound:demo-congrats","choices":{"1":{"kind":"schedule","target":"%s"}},
                 "timeoutSeconds":5,"maxTries":2,"onInvalid":{"kind":"announcement","target":"sound:ss-noservice"},
                 "onTimeout":{"kind":"announcement","target":"sound:ss-noservice"}}""";
        m.row("GET", "/api/menus", "/api/menus", null,                          NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/menus", "/api/menus", menuBody.formatted(f.psychology, "Matrix {n}", f.psychologySchedule),
                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, NOT_FOUND, CREATED);
        m.row("GET", "/api/menus/{id}", "/api/menus/" + f.psychologyMenu, null,   NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/menus/{id}", "/api/menus/" + f.psychologyMenu, menuBody.formatted(f.psychology, "Matrix menu", f.psychologySchedule),
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/menus/{id}", "/api/menus/" + UUID.randomUUID(), null,
                NO_TOKEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND);
        m.row("GET", "/api/numbers/{e164}/destination", routed, null,           NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("PUT", "/api/numbers/{e164}/destination", routed,
                "{\"kind\":\"schedule\",\"target\":\"" + f.psychologySchedule + "\"}",
                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, OK);
        m.row("DELETE", "/api/numbers/{e164}/destination", routed, null,        NO_TOKEN, FORBIDDEN, NO_CONTENT, FORBIDDEN, NOT_FOUND, NO_CONTENT);
    }
}
