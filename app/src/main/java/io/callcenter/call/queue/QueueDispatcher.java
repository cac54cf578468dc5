package io.callcenter.call.queue;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Matches free agents to waiting callers, one pass at a time: asked again while a pass runs, it runs one more pass
 * afterwards, never two at once. Each match reserves the agent (so no other call takes them) and claims the caller,
 * then hands the offer to the caller's lane; the pass itself changes no call.
 */
final class QueueDispatcher {

    private static final Logger log = LoggerFactory.getLogger(QueueDispatcher.class);

    /** Delivers a match to the caller's lane. */
    interface Offers {
        void offer(UUID callId, UUID agentId);
    }

    private final QueueBoard board;
    private final AgentDirectory agents;
    private final Executor executor;
    private final Offers offers;
    private final Map<UUID, QueueSettings> queues = new ConcurrentHashMap<>();
    /** Per queue, the extension offered last (round-robin's memory). */
    private final Map<UUID, String> lastOffered = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    QueueDispatcher(QueueBoard board, AgentDirectory agents, Executor executor, Offers offers) {
        this.board = board;
        this.agents = agents;
        this.executor = executor;
        this.offers = offers;
    }

    void know(QueueSettings settings) {
        queues.put(settings.id(), settings);
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
        for (UUID queueId : board.queuesWithWaiting()) {
            QueueSettings queue = queues.get(queueId);
            if (queue == null) {
                continue;
            }
            List<Agent> free = new ArrayList<>(queue.strategy().order(agents.availableInTeam(queue.teamId()),
                    lastOffered.get(queueId)));
            // First the callers each agent has not missed yet; then, for agents still free, a caller again.
            for (boolean retry : new boolean[] {false, true}) {
                for (Iterator<Agent> it = free.iterator(); it.hasNext(); ) {
                    Agent agent = it.next();
                    Optional<QueueEntry> entry = board.claimNext(queueId, agent.id(), retry);
                    if (entry.isEmpty()) {
                        continue;
                    }
                    if (!agents.tryReserve(agent.id(), entry.get().callId())) {
                        board.unclaim(entry.get().callId());
                        it.remove();
                        continue;
                    }
                    it.remove();
                    lastOffered.put(queueId, agent.extension());
                    offers.offer(entry.get().callId(), agent.id());
                }
            }
        }
    }
}
