package io.callcenter.call.queue;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Matches free agents to waiting callers, one pass at a time: asked again while a pass runs, it runs one more pass
 * afterwards, never two at once. The choice is {@link QueueMatcher}'s; each match claims the caller and reserves the
 * agents (so no other call takes them), then hands the offer to the caller's lane; the pass itself changes no call.
 */
final class QueueDispatcher {

    private static final Logger log = LoggerFactory.getLogger(QueueDispatcher.class);

    /** Delivers a match to the caller's lane. */
    interface Offers {
        void offer(UUID callId, List<UUID> agentIds);
    }

    private final QueueBoard board;
    private final AgentDirectory agents;
    private final QueueStore store;
    private final Clock clock;
    private final Executor executor;
    private final Offers offers;
    private final Map<UUID, QueueSettings> queues = new ConcurrentHashMap<>();
    /** Per queue, the extension offered last (round-robin's memory). */
    private final Map<UUID, String> lastOffered = new ConcurrentHashMap<>();
    // Read through so a waiting caller is still offered to the queue's members while the database is away.
    private final io.callcenter.ops.LastKnown<UUID, List<QueueStore.Member>> knownMembers = new io.callcenter.ops.LastKnown<>();
    private final AtomicInteger requests = new AtomicInteger();

    QueueDispatcher(QueueBoard board, AgentDirectory agents, QueueStore store, Clock clock, Executor executor,
                    Offers offers) {
        this.board = board;
        this.agents = agents;
        this.store = store;
        this.clock = clock;
        this.executor = executor;
        this.offers = offers;
    }

    void know(QueueSettings settings) {
        queues.put(settings.id(), settings);
    }

    /**
     * Whether anyone serves the queue now (app_queue's joinempty): a member logged into it whose phone is registered;
     * for a queue without members, any agent of its team whose phone is registered. Busy agents count.
     */
    boolean anyoneLoggedIn(QueueSettings queue) {
        List<QueueStore.Member> listed = knownMembers.read(queue.id(), () -> store.members(queue.id()));
        List<Agent> serving = listed.isEmpty()
                ? agents.all().stream().filter(agent -> queue.teamId().equals(agent.teamId())).toList()
                : listed.stream().filter(QueueStore.Member::loggedIn)
                        .flatMap(member -> agents.byId(member.agentId()).stream()).toList();
        return serving.stream().anyMatch(agents::isReachable);
    }

    /** Something changed (a caller joined, an agent became free, an offer rang out): look again. */
    void request() {
        if (requests.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            int seen = requests.get();
            try {
                matchAll();
            } catch (RuntimeException e) {
                log.error("Queue dispatch failed", e);
            }
            if (requests.addAndGet(-seen) == 0) {
                return;
            }
        }
    }

    private void matchAll() {
        Map<UUID, List<Agent>> freeByTeam = new HashMap<>();
        Map<UUID, List<QueueStore.Member>> members = new HashMap<>();
        Map<UUID, Integer> callsTaken = null;
        // Agents matched in this pass or found taken by another call: the next round of the pass leaves them out.
        Set<UUID> gone = new HashSet<>();
        boolean again = true;
        while (again) {
            again = false;
            List<QueueEntry> waiting = board.waitingUnclaimed();
            if (waiting.isEmpty()) {
                return;
            }
            for (UUID queueId : waiting.stream().map(QueueEntry::queueId).distinct().toList()) {
                QueueSettings queue = queues.get(queueId);
                if (queue != null) {
                    freeByTeam.computeIfAbsent(queue.teamId(), agents::availableInTeam);
                    members.computeIfAbsent(queueId, id -> knownMembers.read(id, () -> store.members(id)));
                    if (queue.strategy() == QueueStrategy.FEWEST_CALLS && callsTaken == null) {
                        callsTaken = store.answeredSince(LocalDate.now(clock).atStartOfDay(ZoneOffset.UTC).toInstant());
                    }
                }
            }
            Map<UUID, List<Agent>> free = new HashMap<>();
            freeByTeam.forEach((team, list) -> free.put(team,
                    list.stream().filter(agent -> !gone.contains(agent.id())).toList()));
            var situation = new QueueMatcher.Situation(waiting, Map.copyOf(queues), free, members,
                    Map.copyOf(lastOffered), callsTaken == null ? Map.of() : callsTaken);
            for (QueueMatcher.Match match : QueueMatcher.match(situation)) {
                UUID callId = match.entry().callId();
                if (!board.claim(callId)) {
                    continue;
                }
                List<UUID> reserved = new ArrayList<>();
                for (Agent agent : match.agents()) {
                    gone.add(agent.id());
                    if (agents.tryReserve(agent.id(), callId)) {
                        reserved.add(agent.id());
                        lastOffered.put(match.entry().queueId(), agent.extension());
                    } else {
                        again = true;
                    }
                }
                if (reserved.isEmpty()) {
                    // The later matches were made counting on an agent who is not free: match them again.
                    board.unclaim(callId);
                    break;
                }
                offers.offer(callId, reserved);
            }
        }
    }
}
