package io.callcenter.call;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the call module stored about a call the dialler handed over (its id is its dial attempt's): read by the
 * dialler to settle an attempt whose "connected" notice was lost to a crash or an outage before it was stored.
 */
public interface DialledCallRecords {

    /** When the agent answered that call, as stored; empty if it is not stored as answered (or not stored at all). */
    Optional<Instant> agentAnsweredAt(UUID callId);
}
