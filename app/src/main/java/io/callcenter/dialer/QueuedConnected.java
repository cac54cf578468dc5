package io.callcenter.dialer;

import java.time.Instant;
import java.util.UUID;

/** The call module's "connected" for an attempt, queued on the dialer's lane and not yet stored. */
record QueuedConnected(UUID callId, Instant at) {
}
