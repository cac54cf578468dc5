package io.callcenter.call.queue;

import io.callcenter.agent.Agent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Who rings for whom: across queues by priority then wait, by skill level, by strategy, members logged in only. */
class QueueMatcherTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final UUID TEAM = UUID.randomUUID();

    private final Agent alice = agent("1001");
    private final Agent bob = agent("1002");
    private final Agent carol = agent("1003");
    private final QueueSettings sales = queue("Sales", QueueStrategy.LONGEST_IDLE, 0);
    private final QueueSettings support = queue("Support", QueueStrategy.LONGEST_IDLE, 0);

    @Test
    void an_agent_serving_two_queues_gets_the_caller_who_has_waited_longest_across_them() {
        QueueEntry salesCaller = waiting(sales, 10, 0);
        QueueEntry supportCaller = waiting(support, 5, 0);
        var matches = QueueMatcher.match(situation(List.of(salesCaller, supportCaller), List.of(alice),
                Map.of(sales.id(), List.of(member(alice, 1)), support.id(), List.of(member(alice, 1)))));
        assertThat(matches).singleElement().satisfies(match -> {
            assertThat(match.entry()).isEqualTo(supportCaller);
            assertThat(match.agents()).containsExactly(alice);
        });
    }

    @Test
    void a_higher_priority_caller_goes_first_even_if_they_came_later() {
        QueueEntry early = waiting(support, 0, 0);
        QueueEntry vip = waiting(sales, 50, 5);
        var matches = QueueMatcher.match(situation(List.of(early, vip), List.of(alice), Map.of()));
        assertThat(matches).extracting(QueueMatcher.Match::entry).containsExactly(vip);
    }

    @Test
    void the_best_skill_level_free_is_offered_first_and_a_lower_level_only_when_none_is_free() {
        QueueEntry caller = waiting(support, 0, 0);
        Map<UUID, List<QueueStore.Member>> members = Map.of(support.id(),
                List.of(member(alice, 2), member(bob, 1), member(carol, 3)));
        // alice has been idle longest, but bob is the better skilled.
        assertThat(QueueMatcher.match(situation(List.of(caller), List.of(alice, bob, carol), members)))
                .singleElement().extracting(QueueMatcher.Match::agents).isEqualTo(List.of(bob));
        assertThat(QueueMatcher.match(situation(List.of(caller), List.of(carol, alice), members)))
                .singleElement().extracting(QueueMatcher.Match::agents).isEqualTo(List.of(alice));
    }

    @Test
    void only_members_logged_into_the_queue_are_offered_and_a_queue_without_members_takes_the_whole_team() {
        QueueEntry caller = waiting(support, 0, 0);
        var loggedOut = Map.of(support.id(), List.of(new QueueStore.Member(alice.id(), 1, false), member(bob, 1)));
        assertThat(QueueMatcher.match(situation(List.of(caller), List.of(alice), loggedOut))).isEmpty();
        assertThat(QueueMatcher.match(situation(List.of(caller), List.of(alice, bob), loggedOut)))
                .singleElement().extracting(QueueMatcher.Match::agents).isEqualTo(List.of(bob));
        assertThat(QueueMatcher.match(situation(List.of(caller), List.of(carol), Map.of())))
                .singleElement().extracting(QueueMatcher.Match::agents).isEqualTo(List.of(carol));
    }

    @Test
    void ring_all_rings_every_free_agent_of_the_best_level_for_the_first_caller_and_the_next_level_takes_the_next() {
        QueueSettings all = queue("All", QueueStrategy.RING_ALL, 0);
        QueueEntry first = waiting(all, 0, 0);
        QueueEntry second = waiting(all, 3, 0);
        var matches = QueueMatcher.match(new QueueMatcher.Situation(List.of(second, first), Map.of(all.id(), all),
                Map.of(TEAM, List.of(alice, bob, carol)),
                Map.of(all.id(), List.of(member(alice, 1), member(bob, 1), member(carol, 2))), Map.of(), Map.of()));
        assertThat(matches).extracting(QueueMatcher.Match::entry, QueueMatcher.Match::agents).containsExactly(
                org.assertj.core.groups.Tuple.tuple(first, List.of(alice, bob)),
                org.assertj.core.groups.Tuple.tuple(second, List.of(carol)));
    }

    @Test
    void an_agent_who_let_a_caller_ring_out_gets_the_next_caller_and_the_first_goes_to_someone_else() {
        QueueEntry first = waiting(support, 0, 0).with(QueueEntryState.WAITING, Set.of(), Set.of(alice.id()));
        QueueEntry second = waiting(support, 3, 0);
        var matches = QueueMatcher.match(situation(List.of(first, second), List.of(alice, bob), Map.of()));
        assertThat(matches).extracting(match -> match.entry().callId() + " " + match.agents().getFirst().extension())
                .containsExactly(first.callId() + " 1002", second.callId() + " 1001");
        // Alone, alice is tried again for the first caller rather than leaving them waiting.
        assertThat(QueueMatcher.match(situation(List.of(first), List.of(alice), Map.of())))
                .singleElement().extracting(QueueMatcher.Match::agents).isEqualTo(List.of(alice));
    }

    @Test
    void fewest_calls_and_round_robin_use_what_the_dispatcher_remembers() {
        QueueSettings fewest = queue("Fewest", QueueStrategy.FEWEST_CALLS, 0);
        QueueSettings robin = queue("Robin", QueueStrategy.ROUND_ROBIN, 0);
        QueueEntry a = waiting(fewest, 0, 0);
        QueueEntry b = waiting(robin, 1, 0);
        var matches = QueueMatcher.match(new QueueMatcher.Situation(List.of(a, b),
                Map.of(fewest.id(), fewest, robin.id(), robin), Map.of(TEAM, List.of(alice, bob, carol)), Map.of(),
                Map.of(robin.id(), "1002"), Map.of(alice.id(), 3, bob.id(), 1, carol.id(), 2)));
        assertThat(matches).extracting(match -> match.agents().getFirst()).containsExactly(bob, carol);
    }

    private QueueMatcher.Situation situation(List<QueueEntry> waiting, List<Agent> free,
                                             Map<UUID, List<QueueStore.Member>> members) {
        return new QueueMatcher.Situation(waiting, Map.of(sales.id(), sales, support.id(), support),
                Map.of(TEAM, free), members, Map.of(), Map.of());
    }

    private static QueueEntry waiting(QueueSettings queue, int joinedSecond, int priority) {
        return QueueEntry.joined(UUID.randomUUID(), queue.id(), "+1555000" + joinedSecond, priority,
                T0.plusSeconds(joinedSecond));
    }

    private static QueueStore.Member member(Agent agent, int level) {
        return new QueueStore.Member(agent.id(), level, true);
    }

    private static QueueSettings queue(String name, QueueStrategy strategy, int priority) {
        return new QueueSettings(UUID.randomUUID(), TEAM, name, strategy, Duration.ofSeconds(15), Duration.ofSeconds(600),
                Duration.ZERO, Duration.ofSeconds(20), "default",
                new QueueSettings.Overflow(QueueSettings.Overflow.Kind.ANNOUNCEMENT, "sound:vm-nobodyavail"), priority, null);
    }

    private static Agent agent(String extension) {
        return new Agent(UUID.randomUUID(), extension, "A" + extension, TEAM, Agent.Phone.SIP);
    }
}
