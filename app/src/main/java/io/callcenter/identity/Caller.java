package io.callcenter.identity;

import io.callcenter.web.ApiProblem;

import java.util.Set;
import java.util.UUID;

/**
 * The authenticated user of the current request, as the token says. Controllers take it as a parameter and ask it
 * before they act; what a caller may see is scoped by team (managers) or by themselves (agents).
 */
public record Caller(UUID userId, String username, Role role, UUID teamId, UUID agentId, Set<String> permissions) {

    public Caller {
        permissions = Set.copyOf(permissions);
    }

    public boolean has(String permission) {
        return permissions.contains(permission);
    }

    /** Refuses the request with 403 unless the caller holds the permission. */
    public Caller require(String permission) {
        if (!has(permission)) {
            throw ApiProblem.forbidden("This needs the permission " + permission);
        }
        return this;
    }

    public boolean isAdmin() {
        return has(Permissions.ADMIN);
    }

    /** Whether the caller may see things that belong to this team (an admin sees every team). */
    public boolean seesTeam(UUID team) {
        return isAdmin() || has(Permissions.TEAM_READ) && teamId != null && teamId.equals(team);
    }

    public UUID requireAgent() {
        if (agentId == null) {
            throw ApiProblem.conflict("not-an-agent", "Not an agent", "User " + username + " has no phone (not an agent)");
        }
        return agentId;
    }
}
