package io.callcenter.identity;

import java.util.Optional;
import java.util.UUID;

/**
 * The one thing a login needs to know about agents: the phone extension to show. Identity sits below the agent
 * module, so it states the need here and the agent module answers it, rather than identity reaching up.
 */
public interface AgentExtensions {

    /** The agent's extension, or empty for an agent that no longer exists. */
    Optional<String> extensionOf(UUID agentId);
}
