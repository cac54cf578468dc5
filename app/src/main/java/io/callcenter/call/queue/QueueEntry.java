package io.callcenter.call.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * One caller's place in a queue. Immutable: the machine returns a new entry for every step. The place is
 * {@code (priority desc, joinedAt asc)} and never changes while the caller waits, whatever offers ring out.
 *
 * @param offeredTo the agents whose phones ring for this caller (OFFERED; several with ring-all), else empty
 * @param rangOut   agents who let this caller's offer ring out: offered others first next time
 */
public record QueueEntry(UUID callId, UUID queueId, String callerNumber, int priority, Instant joinedAt,
                         QueueEntryState state, Set<UUID> offeredTo, Set<UUID> rangOut) {

    public QueueEntry {
        offeredTo = Set.copyOf(offeredTo);
        rangOut = Set.copyOf(rangOut);
    }

    static QueueEntry joined(UUID callId, UUID queueId, String callerNumber, int priority, Instant at) {
        return new QueueEntry(callId, queueId, callerNumber, priority, at, QueueEntryState.WAITING, Set.of(), Set.of());
    }

    public Duration waitAt(Instant at) {
        return at.isBefore(joinedAt) ? Duration.ZERO : Duration.between(joinedAt, at);
    }

    /** Whether this caller is ahead of {@code other} in the same queue: higher priority, then longer waiting. */
    public boolean ahead(QueueEntry other) {
        if (priority != other.priority) {
            return priority > other.priority;
        }
        int byTime = joinedAt.compareTo(other.joinedAt);
        return byTime != 0 ? byTime < 0 : callId.compareTo(other.callId) < 0;
    }

    /** The one agent rung for this caller, or null when none or several ring (for the log's agent column). */
    UUID offeredAgent() {
        return offeredTo.size() == 1 ? offeredTo.iterator().next() : null;
    }

    QueueEntry with(QueueEntryState state, Set<UUID> offeredTo, Set<UUID> rangOut) {
        return new QueueEntry(callId, queueId, callerNumber, priority, joinedAt, state, offeredTo, rangOut);
    }
}
