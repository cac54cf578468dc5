package io.callcenter.call.queue;

import io.callcenter.agent.Agent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** In which order a queue's free agents (of the same skill level) are offered the next caller. */
public enum QueueStrategy {
    /** The agent whose last call ended longest ago (the directory's own order). */
    LONGEST_IDLE,
    /** The agent after the one offered last, in extension order, wrapping around (memory per queue). */
    ROUND_ROBIN,
    /** The agent who answered the fewest queue calls today; ties longest idle first. */
    FEWEST_CALLS,
    /** Every free agent at once; the first to answer takes the caller, the others stop ringing. */
    RING_ALL,
    /** Always in extension order: the first free agent of the list. */
    LINEAR;

    /**
     * @param longestIdleFirst     the free agents as the directory lists them
     * @param lastOfferedExtension the extension this queue offered a caller to last, or null
     * @param callsTaken           queue calls each agent answered today (absent: none)
     */
    public List<Agent> order(List<Agent> longestIdleFirst, String lastOfferedExtension, Map<UUID, Integer> callsTaken) {
        return switch (this) {
            case LONGEST_IDLE, RING_ALL -> List.copyOf(longestIdleFirst);
            case LINEAR -> byExtension(longestIdleFirst);
            case FEWEST_CALLS -> longestIdleFirst.stream()
                    .sorted(Comparator.comparingInt(agent -> callsTaken.getOrDefault(agent.id(), 0)))
                    .toList();
            case ROUND_ROBIN -> {
                // The agents after the last one offered (free now or not), then the rest from the top.
                List<Agent> sorted = byExtension(longestIdleFirst);
                List<Agent> rotated = new ArrayList<>(sorted.stream()
                        .filter(agent -> lastOfferedExtension != null && agent.extension().compareTo(lastOfferedExtension) > 0)
                        .toList());
                sorted.stream().filter(agent -> !rotated.contains(agent)).forEach(rotated::add);
                yield rotated;
            }
        };
    }

    private static List<Agent> byExtension(List<Agent> agents) {
        return agents.stream().sorted(Comparator.comparing(Agent::extension)).toList();
    }

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static QueueStrategy fromDb(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
