package io.callcenter.it;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The permission matrix {@link PermissionsIT} runs: a row per endpoint and path, a column per caller, a cell the
 * status that caller must get. The rows live by feature in the {@code PermissionRows*} files, listed in
 * {@link #of}: a new endpoint's row goes into its feature's file, a new feature's rows into a new file added to that
 * list. Rows run in the order listed (some change data the ones after them read).
 */
final class PermissionMatrix {

    static final int OK = 200, CREATED = 201, NO_CONTENT = 204, BAD = 400, NO_TOKEN = 401, FORBIDDEN = 403,
            NOT_FOUND = 404, CONFLICT = 409;

    /** Column order of the matrix. */
    enum Who {
        ANONYMOUS(null), AGENT("alice"), MANAGER("maria"), OTHER_TEAM_AGENT("carol"), OTHER_TEAM_MANAGER("sam"),
        ADMIN("admin");

        final String username;

        Who(String username) {
            this.username = username;
        }
    }

    record Cell(String method, String pattern, String path, String body, String contentType,
                Map<Who, Integer> expected, Map<Who, String> detail) {
        String endpoint() {
            return method + " " + pattern;
        }
    }

    final List<Cell> cells = new ArrayList<>();

    private PermissionMatrix() {
    }

    /** Every row, feature by feature. */
    static PermissionMatrix of(PermissionFixture f) {
        PermissionMatrix m = new PermissionMatrix();
        PermissionRowsAgents.add(m, f);
        PermissionRowsQueues.add(m, f);
        PermissionRowsCalls.add(m, f);
        PermissionRowsAdministration.add(m, f);
        PermissionRowsCampaigns.add(m, f);
        PermissionRowsInbound.add(m, f);
        PermissionRowsVoicemail.add(m, f);
        PermissionRowsReportsAndDocs.add(m, f);
        PermissionRowsDoNotCall.add(m, f);
        return m;
    }

    /** {@code statuses} in {@link Who} order; {n} in path and body becomes the caller's number (unique data). */
    Cell row(String method, String pattern, String path, String body, int... statuses) {
        return row(method, pattern, path, body, "application/json", statuses);
    }

    Cell row(String method, String pattern, String path, String body, String contentType, int... statuses) {
        assertThat(statuses).as("one status per caller for " + method + " " + path).hasSize(Who.values().length);
        Map<Who, Integer> expected = new EnumMap<>(Who.class);
        for (Who who : Who.values()) {
            expected.put(who, statuses[who.ordinal()]);
        }
        Cell cell = new Cell(method, pattern, path, body, contentType, expected, new EnumMap<>(Who.class));
        cells.add(cell);
        return cell;
    }
}
