package io.callcenter.dialer;

import java.time.Instant;
import java.util.UUID;

/**
 * A person a campaign calls. NEW until first dialled, DIALING while an attempt is open, RETRY when the retry rules
 * allow another attempt (at {@code nextAttemptAt}), DONE otherwise.
 */
public record Lead(UUID id, UUID campaignId, String e164, String name, String externalId, String timeZone, String status,
                   int attempts, Outcome lastOutcome, Instant lastAttemptAt, Instant nextAttemptAt, Instant createdAt) {
}
