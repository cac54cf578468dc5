package io.callcenter.call.queue;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every caller in a queue now, in memory: written on the callers' lanes, read by the dispatcher. An entry that
 * leaves the queue (connected, abandoned, overflowed) leaves the board. A caller the dispatcher has picked is
 * "claimed" until the offer reaches its lane, so two agents are never sent to the same caller.
 */
final class QueueBoard {

    private final Map<UUID, QueueEntry> entries = new HashMap<>();
    private final Set<UUID> claimed = new HashSet<>();

    synchronized void put(QueueEntry entry) {
        if (entry.state().inQueue()) {
            entries.put(entry.callId(), entry);
        } else {
            entries.remove(entry.callId());
            claimed.remove(entry.callId());
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

    /** Queues that have a caller nobody is ringing, longest waiting first. */
    synchronized Set<UUID> queuesWithWaiting() {
        Set<UUID> queues = new LinkedHashSet<>();
        entries.values().stream()
                .filter(entry -> entry.state() == QueueEntryState.WAITING && !claimed.contains(entry.callId()))
                .sorted(Comparator.comparing(QueueEntry::joinedAt))
                .forEach(entry -> queues.add(entry.queueId()));
        return queues;
    }

    /**
     * Claims the first caller of the queue for an agent: the one ahead of all others whose offer this agent has not
     * let ring out, or with {@code retry} the first of all. Never a caller already claimed.
     */
    synchronized Optional<QueueEntry> claimNext(UUID queueId, UUID agentId, boolean retry) {
        var waiting = entries.values().stream()
                .filter(entry -> entry.queueId().equals(queueId) && entry.state() == QueueEntryState.WAITING
                        && !claimed.contains(entry.callId()))
                .sorted((a, b) -> a.ahead(b) ? -1 : b.ahead(a) ? 1 : 0)
                .toList();
        Optional<QueueEntry> pick = waiting.stream().filter(entry -> retry || !entry.rangOut().contains(agentId))
                .findFirst();
        pick.ifPresent(entry -> claimed.add(entry.callId()));
        return pick;
    }

    synchronized void unclaim(UUID callId) {
        claimed.remove(callId);
    }
}
