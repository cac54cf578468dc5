package io.callcenter.call.queue;

import io.callcenter.ops.LastKnown;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The settings of the queues callers are in now, and the lookups a new caller needs. Kept in step with edits made
 * through the API (the store tells of each change once committed), so nothing waits for a restart: the callers
 * waiting and the dispatcher go by the new settings at once; timers already running (a caller's max wait) keep the
 * value they started with. A deleted queue's waiting callers stay and are served by its last settings.
 */
final class KnownQueues {

    private final QueueStore store;
    private final QueueDispatcher dispatcher;
    private final Map<UUID, QueueSettings> settings = new ConcurrentHashMap<>();
    /** Queues whose callers may press 1 for a callback. */
    private final Map<UUID, Boolean> callbackEnabled = new ConcurrentHashMap<>();
    // Read through so a new caller joins their queue while the database is away.
    private final LastKnown<UUID, Optional<QueueSettings>> queueOfTeam = new LastKnown<>();
    private final LastKnown<UUID, Optional<QueueSettings>> queueById = new LastKnown<>();

    KnownQueues(QueueStore store, QueueDispatcher dispatcher) {
        this.store = store;
        this.dispatcher = dispatcher;
        store.onChange(this::changed);
    }

    Optional<QueueSettings> ofTeam(UUID teamId) {
        return queueOfTeam.read(teamId, () -> store.forTeam(teamId));
    }

    Optional<QueueSettings> byId(UUID queueId) {
        return queueById.read(queueId, () -> store.byId(queueId));
    }

    /** A caller is in this queue (joined, taken over after a restart, a callback restored). */
    void learn(QueueSettings queue) {
        settings.put(queue.id(), queue);
        callbackEnabled.put(queue.id(), store.callbackEnabled(queue.id()));
        dispatcher.know(queue);
    }

    /**
     * The entry a caller had before the app restarted (not yet on the board): the queue of their last join and its
     * time, and their place from their first (they may have overflowed from another queue), all from the log.
     */
    Optional<QueueEntry> restored(UUID callId, String callerNumber) {
        return store.joined(callId).flatMap(joined -> store.byId(joined.queueId()).map(queue -> {
            learn(queue);
            return new QueueEntry(callId, queue.id(), callerNumber, queue.priority(), joined.firstAt(), joined.at(),
                    QueueEntryState.WAITING, java.util.Set.of(), java.util.Set.of());
        }));
    }

    QueueSettings get(UUID queueId) {
        return settings.get(queueId);
    }

    boolean callbackEnabled(UUID queueId) {
        return callbackEnabled.getOrDefault(queueId, false);
    }

    private void changed(UUID queueId) {
        if (settings.containsKey(queueId)) {
            store.byId(queueId).ifPresent(this::learn);
        }
        dispatcher.request();
    }
}
