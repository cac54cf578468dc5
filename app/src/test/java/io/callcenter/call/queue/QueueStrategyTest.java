package io.callcenter.call.queue;

import io.callcenter.agent.Agent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class QueueStrategyTest {

    private static Agent agent(String extension) {
        return new Agent(UUID.randomUUID(), extension, "A" + extension, UUID.randomUUID(), Agent.Phone.SIP);
    }

    private final Agent a1 = agent("1001");
    private final Agent a2 = agent("1002");
    private final Agent a3 = agent("1003");
    /** As the directory lists free agents: longest idle first. */
    private final List<Agent> longestIdleFirst = List.of(a3, a1, a2);

    @Test
    void longest_idle_keeps_the_directorys_order() {
        assertThat(QueueStrategy.LONGEST_IDLE.order(longestIdleFirst, "1001", Map.of())).containsExactly(a3, a1, a2);
    }

    @Test
    void linear_always_starts_from_the_first_extension() {
        assertThat(QueueStrategy.LINEAR.order(longestIdleFirst, "1002", Map.of())).containsExactly(a1, a2, a3);
    }

    @Test
    void round_robin_starts_after_the_agent_offered_last_even_when_that_agent_is_busy_now() {
        assertThat(QueueStrategy.ROUND_ROBIN.order(longestIdleFirst, null, Map.of())).containsExactly(a1, a2, a3);
        assertThat(QueueStrategy.ROUND_ROBIN.order(longestIdleFirst, "1001", Map.of())).containsExactly(a2, a3, a1);
        assertThat(QueueStrategy.ROUND_ROBIN.order(List.of(a1, a3), "1002", Map.of())).containsExactly(a3, a1);
        assertThat(QueueStrategy.ROUND_ROBIN.order(longestIdleFirst, "1003", Map.of())).containsExactly(a1, a2, a3);
    }

    @Test
    void fewest_calls_puts_the_agent_with_the_fewest_answered_calls_first_ties_longest_idle_first() {
        Map<UUID, Integer> taken = Map.of(a3.id(), 4, a1.id(), 2);
        assertThat(QueueStrategy.FEWEST_CALLS.order(longestIdleFirst, null, taken)).containsExactly(a2, a1, a3);
        assertThat(QueueStrategy.FEWEST_CALLS.order(longestIdleFirst, null, Map.of())).containsExactly(a3, a1, a2);
    }

    @Test
    void ring_all_keeps_every_agent() {
        assertThat(QueueStrategy.RING_ALL.order(longestIdleFirst, "1001", Map.of())).containsExactly(a3, a1, a2);
    }
}
