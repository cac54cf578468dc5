package io.callcenter.instance;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which roles an instance takes and gives up, over a fake database holding the locks of several instances. */
class OwnershipTest {

    private static final Instant T0 = Instant.parse("2026-11-28T03:00:00Z");

    /** The database's side: who holds each lock; sessions die as their connections do. */
    static final class FakeDatabase {
        final Map<Role, FakeSession> locks = new EnumMap<>(Role.class);
        boolean reachable = true;
    }

    static final class FakeSession implements LockSession {
        final FakeDatabase database;
        final String name;
        boolean open;

        FakeSession(FakeDatabase database, String name) {
            this.database = database;
            this.name = name;
        }

        /** The connection broke: the database frees this session's locks (as PostgreSQL does at once). */
        void die() {
            open = false;
            database.locks.values().removeIf(holder -> holder == this);
        }

        @Override
        public boolean open() {
            if (!database.reachable) {
                return false;
            }
            open = true;
            return true;
        }

        @Override
        public boolean valid() {
            return open && database.reachable;
        }

        @Override
        public boolean tryLock(Role role) {
            if (!valid()) {
                throw new IllegalStateException("no session");
            }
            return database.locks.computeIfAbsent(role, r -> this) == this;
        }

        @Override
        public void unlock(Role role) {
            database.locks.remove(role, this);
        }

        @Override
        public List<Holder> holders() {
            return database.locks.entrySet().stream().map(e -> new Holder(e.getKey(), e.getValue().name)).toList();
        }

        @Override
        public void close() {
            if (open) {
                die();
            }
        }
    }

    private final FakeDatabase database = new FakeDatabase();
    private final List<String> work = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private record Pair(FakeSession one, Ownership first, FakeSession two, Ownership second) {
    }

    /** Instance one on the floor and leading the dialer, instance two standing by. */
    private Pair onTheFloorAndStandingBy() {
        FakeSession one = new FakeSession(database, "one");
        FakeSession two = new FakeSession(database, "two");
        Ownership first = instance(one);
        Ownership second = instance(two);
        first.poll();
        second.poll();
        return new Pair(one, first, two, second);
    }

    private Ownership instance(FakeSession session) {
        Ownership ownership = new Ownership(session, session.name, Clock.fixed(T0, ZoneOffset.UTC), meters);
        for (Role role : Role.values()) {
            ownership.whenHeld(role, () -> work.add(session.name + " starts " + role),
                    () -> work.add(session.name + " stops " + role));
        }
        return ownership;
    }

    @Test
    void the_first_instance_takes_the_floor_then_the_dialer_and_the_second_waits() {
        Pair pair = onTheFloorAndStandingBy();
        Ownership first = pair.first();
        Ownership second = pair.second();

        assertThat(work).containsExactly("one starts FLOOR", "one starts DIALER");
        assertThat(first.holds(Role.FLOOR)).isTrue();
        assertThat(second.holds(Role.FLOOR)).isFalse();
        assertThat(second.holds(Role.DIALER)).as("the dialer is sought only with the floor").isFalse();
        assertThat(first.held()).extracting(Ownership.Held::since).containsOnly(T0);
        assertThat(second.holders()).extracting(LockSession.Holder::instance).containsOnly("one");
    }

    @Test
    void an_instance_that_dies_frees_its_roles_and_the_other_takes_them_on_its_next_round() {
        Pair pair = onTheFloorAndStandingBy();
        work.clear();

        pair.one().die();
        pair.second().poll();

        assertThat(work).containsExactly("two starts FLOOR", "two starts DIALER");
        assertThat(meters.counter("callcenter.instance.role.changes", "role", "floor", "change", "gained").count())
                .isEqualTo(2.0);
        assertThat(pair.second().holds(Role.DIALER)).isTrue();
    }

    @Test
    void a_clean_stop_hands_over_the_dialer_first_then_the_floor() {
        FakeSession one = new FakeSession(database, "one");
        Ownership first = instance(one);
        first.poll();
        work.clear();

        first.stop();
        first.poll();

        assertThat(work).containsExactly("one stops DIALER", "one stops FLOOR");
        assertThat(database.locks).isEmpty();
    }

    @Test
    void roles_are_kept_through_a_database_outage_and_confirmed_when_it_returns() {
        FakeSession one = new FakeSession(database, "one");
        Ownership first = instance(one);
        first.poll();
        work.clear();

        database.reachable = false;
        one.die();
        first.poll();
        first.poll();
        assertThat(first.holds(Role.FLOOR)).as("nobody can take it while the database is away").isTrue();

        database.reachable = true;
        first.poll();

        assertThat(work).as("calls and dialer went on, nothing restarted").isEmpty();
        assertThat(database.locks).containsOnlyKeys(Role.FLOOR, Role.DIALER);
        assertThat(database.locks.values()).containsOnly(one);
    }

    @Test
    void an_instance_cut_off_from_the_database_gives_up_what_another_took_meanwhile() {
        Pair pair = onTheFloorAndStandingBy();
        work.clear();

        // A partition: only the first instance's connection is gone; the database frees its locks.
        pair.one().die();
        pair.second().poll();
        pair.first().poll();

        assertThat(work).containsExactly("two starts FLOOR", "two starts DIALER", "one stops DIALER", "one stops FLOOR");
        assertThat(pair.first().holds(Role.FLOOR)).isFalse();
        assertThat(database.locks.values()).containsOnly(pair.two());
    }

    @Test
    void work_registered_after_the_role_was_taken_starts_at_once() {
        FakeSession one = new FakeSession(database, "one");
        Ownership first = new Ownership(one, "one", Clock.fixed(T0, ZoneOffset.UTC), meters);
        first.poll();

        first.whenHeld(Role.DIALER, () -> work.add("dialer"), () -> work.add("no dialer"));

        assertThat(work).containsExactly("dialer");
    }

    @Test
    void work_that_fails_to_start_does_not_stop_the_rounds() {
        FakeSession one = new FakeSession(database, "one");
        Ownership first = new Ownership(one, "one", Clock.fixed(T0, ZoneOffset.UTC), meters);
        first.whenHeld(Role.FLOOR, () -> {
            throw new IllegalStateException("Asterisk away");
        }, () -> {
        });
        first.whenHeld(Role.DIALER, () -> work.add("dialer"), () -> {
        });

        first.poll();

        assertThat(work).containsExactly("dialer");
        assertThat(first.holds(Role.FLOOR)).isTrue();
    }
}
