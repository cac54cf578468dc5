package io.callcenter.routing.memory;

import io.callcenter.testkit.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingMemoryTest {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-28T06:00:00Z"));
    /** The database's routing generation; {@code away} makes reading it fail as an outage does. */
    private final AtomicLong generation = new AtomicLong(7);
    private boolean away;
    private final List<String> reads = new ArrayList<>();
    private final RoutingMemory memory = new RoutingMemory(() -> {
        if (away) {
            throw new DataAccessResourceFailureException("connection refused");
        }
        return generation.get();
    }, clock, MAX_AGE);

    /** A loader standing for one database read: counted, answering what the database holds now. */
    private Supplier<Optional<String>> read(String what, String value) {
        return () -> {
            reads.add(what);
            return Optional.ofNullable(value);
        };
    }

    @Test
    void a_second_call_at_the_same_generation_reads_nothing_but_the_generation() {
        assertThat(memory.pin().recall("team of number", "+15550100", read("team", "Sales"))).contains("Sales");
        assertThat(memory.pin().recall("team of number", "+15550100", read("team", "Sales"))).contains("Sales");

        assertThat(reads).containsExactly("team");
    }

    @Test
    void an_edit_anywhere_moves_the_generation_and_the_next_call_reads_afresh() {
        memory.pin().recall("team of number", "+15550100", read("team", "Sales"));
        memory.pin().recall("queue of team", "sales", read("queue", "Sales queue"));

        generation.incrementAndGet(); // another instance moved the number to Support
        RoutingMemory.Recall next = memory.pin();

        assertThat(next.recall("team of number", "+15550100", read("team", "Support"))).contains("Support");
        assertThat(next.recall("queue of team", "sales", read("queue", "Sales queue (edited)"))).contains("Sales queue (edited)");
        assertThat(reads).containsExactly("team", "queue", "team", "queue");
    }

    @Test
    void a_number_nobody_owns_is_remembered_as_such_until_an_edit() {
        assertThat(memory.pin().recall("team of number", "+15559999", read("team", null))).isEmpty();
        assertThat(memory.pin().recall("team of number", "+15559999", read("team", null))).isEmpty();
        assertThat(reads).containsExactly("team");

        generation.incrementAndGet(); // the number was given to a team
        assertThat(memory.pin().recall("team of number", "+15559999", read("team", "Sales"))).contains("Sales");
    }

    @Test
    void kinds_and_keys_do_not_answer_for_each_other() {
        RoutingMemory.Recall pinned = memory.pin();
        pinned.recall("team of number", "+15550100", read("team", "Sales"));

        assertThat(pinned.recall("team of number", "+15550101", read("team", "Support"))).contains("Support");
        assertThat(pinned.recall("number destination", "+15550100", read("destination", "menu"))).contains("menu");
    }

    @Test
    void the_database_away_routes_without_memory_every_lookup_going_to_its_loader() {
        memory.pin().recall("team of number", "+15550100", read("team", "Sales"));
        away = true;

        RoutingMemory.Recall pinned = memory.pin();

        assertThat(pinned).isSameAs(RoutingMemory.Recall.THROUGH);
        // The loader is the service's own last-known read, which answers through an outage.
        assertThat(pinned.recall("team of number", "+15550100", read("last known team", "Sales"))).contains("Sales");
        assertThat(reads).containsExactly("team", "last known team");
    }

    @Test
    void back_from_an_outage_the_memory_is_used_again_only_at_the_same_generation() {
        memory.pin().recall("team of number", "+15550100", read("team", "Sales"));
        away = true;
        memory.pin();
        away = false;

        memory.pin().recall("team of number", "+15550100", read("team", "Sales"));
        assertThat(reads).containsExactly("team");

        generation.incrementAndGet();
        memory.pin().recall("team of number", "+15550100", read("team", "Support"));
        assertThat(reads).containsExactly("team", "team");
    }

    @Test
    void memory_older_than_its_max_age_is_read_again_even_at_the_same_generation() {
        memory.pin().recall("team of number", "+15550100", read("team", "Sales"));

        clock.advance(MAX_AGE);
        memory.pin().recall("team of number", "+15550100", read("team", "Sales"));
        assertThat(reads).as("at exactly its max age the memory still holds").containsExactly("team");

        clock.advance(Duration.ofSeconds(1));
        memory.pin().recall("team of number", "+15550100", read("team", "Sales (restored backup)"));
        assertThat(reads).containsExactly("team", "team");
    }

    @Test
    void a_call_pinned_before_an_edit_keeps_its_view_and_does_not_spoil_the_next_generation() {
        RoutingMemory.Recall before = memory.pin();
        generation.incrementAndGet();
        RoutingMemory.Recall after = memory.pin();

        // The earlier call's lookup, made after the edit, reads the edited row: stored in its own view only.
        before.recall("team of number", "+15550100", read("team", "Support"));

        assertThat(after.recall("team of number", "+15550100", read("team", "Support"))).contains("Support");
        assertThat(reads).containsExactly("team", "team");
    }
}
