package io.callcenter.identity;

import java.util.List;
import java.util.UUID;

/** A person who logs in. {@code agentId} links the user to their agent (SIP endpoint), if they take calls. */
public record User(UUID id, String username, String displayName, Role role, List<String> permissions, UUID teamId,
                   UUID agentId, boolean enabled) {

    public User {
        permissions = List.copyOf(permissions);
    }
}
