package io.callcenter.call.queue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every caller in a queue now, in memory: written on the callers' lanes, read by the dispatcher. An entry that
 * leaves the queue (connected, abandoned, overflowed) leaves the board; a callback stays on it, keeping its place,
 * until an agent is on the line for it. A caller the dispatcher has picked is
 * "claimed" until the offer reaches its lane, so two agents are never sent to the same caller.
 */
final class QueueBoard {

    private final Map<UUID, QueueEntry> entries = new HashMap<>();
    private final Set<UUID> claimed = new HashSet<>();

    synchronized void put(QueueEntry entry) {
        if (entry.state().holdsPlace()) {
            entries.put(entry.callId(), entry);
        } else {
            entries.remove(entry.callId());
            claimed.remove(entry.callId());
        }
    }

    synchronized void putIfAbsent(QueueEntry entry) {
        if (!entries.containsKey(entry.callId())) {
            put(entry);
        }
    }

    synchronized Optional<QueueEntry> get(UUID callId) {
        return Optional.ofNullable(entries.get(callId));
    }

    /** The caller's place, from 1: callers of the same queue ahead of them, waiting or being offered. */
    synchronized int position(UUID callId) {
        QueueEntry entry = entries.get(callId);
        if (entry == null) {
            return 0;
        }
        return 1 + (int) entries.values().stream()
                .filter(other -> other.queueId().equals(entry.queueId()) && other.ahead(entry))
                .count();
    }

    synchronized int size(UUID queueId) {
        return (int) entries.values().stream().filter(entry -> entry.queueId().equals(queueId)).count();
    }

    /** Callers nobody rings for and the dispatcher has not picked: the candidates of its next pass. */
    synchronized List<QueueEntry> waitingUnclaimed() {
        return entries.values().stream()
                .filter(entry -> entry.state().awaitsOffer() && !claimed.contains(entry.callId()))
                .toList();
    }

    /** Claims a caller for an offer on its way to their lane; false if they are no longer waiting or already picked. */
    synchronized boolean claim(UUID callId) {
        QueueEntry entry = entries.get(callId);
        return entry != null && entry.state().awaitsOffer() && claimed.add(callId);
    }

    synchronized void unclaim(UUID callId) {
        claimed.remove(callId);
    }
}
