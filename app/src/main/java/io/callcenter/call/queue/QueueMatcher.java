package io.callcenter.call.queue;

import io.callcenter.agent.Agent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which free agents ring for which waiting callers, pure. Callers are served in one order across all queues (priority,
 * then longest waiting), so an agent who serves several queues gets the caller who has waited longest among those with
 * the highest priority. For each caller: the free agents who serve that queue (logged in), those of the best skill
 * level present, in the queue's strategy's order; ring-all takes them all. An agent who let this caller's offer ring
 * out is passed over while someone else is free for them, and only then tried again.
 */
final class QueueMatcher {

    /** What the dispatcher knows at the start of a pass. */
    record Situation(List<QueueEntry> waiting, Map<UUID, QueueSettings> queues, Map<UUID, List<Agent>> freeByTeam,
                     Map<UUID, List<QueueStore.Member>> members, Map<UUID, String> lastOffered, Map<UUID, Integer> callsTaken) {
    }

    record Match(QueueEntry entry, List<Agent> agents) {
    }

    private QueueMatcher() {
    }

    static List<Match> match(Situation situation) {
        List<QueueEntry> order = situation.waiting().stream()
                .filter(entry -> entry.state().awaitsOffer())
                .sorted((a, b) -> a.ahead(b) ? -1 : b.ahead(a) ? 1 : 0)
                .toList();
        Set<UUID> taken = new HashSet<>();
        Set<UUID> served = new HashSet<>();
        List<Match> matches = new ArrayList<>();
        for (boolean retry : new boolean[] {false, true}) {
            for (QueueEntry entry : order) {
                QueueSettings queue = situation.queues().get(entry.queueId());
                if (queue == null || served.contains(entry.callId())) {
                    continue;
                }
                List<Agent> chosen = choose(situation, queue, entry, taken, retry);
                if (!chosen.isEmpty()) {
                    chosen.forEach(agent -> taken.add(agent.id()));
                    served.add(entry.callId());
                    matches.add(new Match(entry, chosen));
                }
            }
        }
        return matches;
    }

    private static List<Agent> choose(Situation situation, QueueSettings queue, QueueEntry entry, Set<UUID> taken,
                                      boolean retry) {
        List<QueueStore.Member> members = situation.members().getOrDefault(queue.id(), List.of());
        List<Agent> eligible = situation.freeByTeam().getOrDefault(queue.teamId(), List.of()).stream()
                .filter(agent -> !taken.contains(agent.id()))
                .filter(agent -> retry || !entry.rangOut().contains(agent.id()))
                .filter(agent -> members.isEmpty() || members.stream()
                        .anyMatch(member -> member.agentId().equals(agent.id()) && member.loggedIn()))
                .toList();
        if (eligible.isEmpty()) {
            return List.of();
        }
        int best = eligible.stream().mapToInt(agent -> level(members, agent)).min().orElseThrow();
        List<Agent> skilled = eligible.stream().filter(agent -> level(members, agent) == best).toList();
        List<Agent> ordered = queue.strategy().order(skilled, situation.lastOffered().get(queue.id()),
                situation.callsTaken());
        return queue.strategy() == QueueStrategy.RING_ALL ? ordered : List.of(ordered.getFirst());
    }

    private static int level(List<QueueStore.Member> members, Agent agent) {
        return members.stream().filter(member -> member.agentId().equals(agent.id())).mapToInt(QueueStore.Member::level)
                .findFirst().orElse(1);
    }
}
