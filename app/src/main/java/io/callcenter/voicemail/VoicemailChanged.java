package io.callcenter.voicemail;

import java.util.Set;
import java.util.UUID;

/**
 * A box's messages changed ({@code change}: {@code new}, {@code heard}, {@code deleted}); {@code agentIds} are the
 * agents who see the box, whose pages are told.
 */
public record VoicemailChanged(UUID boxId, String boxName, UUID messageId, String change, String callerNumber,
                               Set<UUID> agentIds) {
    public VoicemailChanged {
        agentIds = Set.copyOf(agentIds);
    }
}
