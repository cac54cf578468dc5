package io.callcenter.identity;

import java.util.List;

/** What a user is; each role comes with default permissions (a user's own list may differ). */
public enum Role {
    AGENT(List.of(Permissions.CALLS_DIAL)),
    MANAGER(List.of(Permissions.CALLS_DIAL, Permissions.TEAM_READ, Permissions.DNC_WRITE, Permissions.CAMPAIGNS_WRITE,
            Permissions.INBOUND_WRITE)),
    ADMIN(List.of(Permissions.CALLS_DIAL, Permissions.TEAM_READ, Permissions.DNC_WRITE, Permissions.CAMPAIGNS_WRITE,
            Permissions.INBOUND_WRITE, Permissions.ADMIN));

    private final List<String> defaults;

    Role(List<String> defaults) {
        this.defaults = defaults;
    }

    public List<String> defaultPermissions() {
        return defaults;
    }

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role fromDb(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
