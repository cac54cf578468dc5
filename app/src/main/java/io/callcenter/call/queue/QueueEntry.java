package io.callcenter.call.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * One caller's place in a queue. Immutable: the machine returns a new entry for every step. The place is
 * {@code (priority desc, joinedAt asc)} and never changes while the caller waits, whatever offers ring out.
 *
 * @param joinedAt  when the caller first joined a queue on this call: their place, kept when they overflow into another
 *                  queue (VICIdial's "keep the original call time" when a call drops to another in-group: a caller who
 *                  has already waited is not sent to the back of the next line), and their total wait
 * @param enteredAt when this stay in {@code queueId} began: the queue's own wait (the log's wait, max wait); equal to
 *                  {@code joinedAt} but after an overflow
 * @param offeredTo the agents whose phones ring for this caller (OFFERED; several with ring-all), else empty
 * @param rangOut   agents who let this caller's offer ring out: offered others first next time
 */
public record QueueEntry(UUID callId, UUID queueId, String callerNumber, int priority, Instant joinedAt,
                         Instant enteredAt, QueueEntryState state, Set<UUID> offeredTo, Set<UUID> rangOut) {

    public QueueEntry {
        offeredTo = Set.copyOf(offeredTo);
        rangOut = Set.copyOf(rangOut);
    }

    /** A caller (or callback) whose only stay is in {@code queueId}. */
    public QueueEntry(UUID callId, UUID queueId, String callerNumber, int priority, Instant joinedAt,
                      QueueEntryState state, Set<UUID> offeredTo, Set<UUID> rangOut) {
        this(callId, queueId, callerNumber, priority, joinedAt, joinedAt, state, offeredTo, rangOut);
    }

    static QueueEntry joined(UUID callId, UUID queueId, String callerNumber, int priority, Instant at) {
        return new QueueEntry(callId, queueId, callerNumber, priority, at, QueueEntryState.WAITING, Set.of(), Set.of());
    }

    /** The wait in this queue (since {@code enteredAt}). */
    public Duration waitAt(Instant at) {
        return at.isBefore(enteredAt) ? Duration.ZERO : Duration.between(enteredAt, at);
    }

    /** The wait since the first queue of the call (what the agent's offer shows). */
    public Duration totalWaitAt(Instant at) {
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
        return new QueueEntry(callId, queueId, callerNumber, priority, joinedAt, enteredAt, state, offeredTo, rangOut);
    }
}
