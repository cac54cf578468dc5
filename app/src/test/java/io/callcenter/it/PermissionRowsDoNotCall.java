package io.callcenter.it;

import static io.callcenter.it.PermissionMatrix.*;

/**
 * The do-not-call list.
 * Rows of the permission matrix ({@link PermissionsIT}), one per endpoint and path, one expected status per caller
 * in {@link PermissionMatrix.Who} order.
 */
final class PermissionRowsDoNotCall {

    private PermissionRowsDoNotCall() {
    }

    static void add(PermissionMatrix m, PermissionFixture f) {
        m.row("GET", "/api/dnc", "/api/dnc?limit=10", null,                     NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
        m.row("POST", "/api/dnc", "/api/dnc", "{\"number\":\"+1212555060{n}\",\"reason\":\"asked\"}",
                                                                                NO_TOKEN, FORBIDDEN, CREATED, FORBIDDEN, CREATED, CREATED);
        m.row("DELETE", "/api/dnc/{e164}", "/api/dnc/+1212555050{n}", null,     NO_TOKEN, FORBIDDEN, NO_CONTENT, FORBIDDEN, NO_CONTENT, NO_CONTENT);
        m.row("POST", "/api/dnc/import", "/api/dnc/import?source=registry", "number\n+1212555040{n}\n", "text/csv",
                                                                                NO_TOKEN, FORBIDDEN, OK, FORBIDDEN, OK, OK);
    }
}
