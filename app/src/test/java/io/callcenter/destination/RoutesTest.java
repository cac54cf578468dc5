package io.callcenter.destination;

import io.callcenter.web.ApiProblem;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Following schedules to a final destination, and refusing schedules that lead round in a circle. */
class RoutesTest {

    private static final UUID TEAM = UUID.randomUUID();
    private static final Destination QUEUE = new Destination.Queue(UUID.randomUUID());
    private static final Destination MESSAGE = new Destination.Announcement("sound:vm-nobodyavail");
    private final Map<UUID, Schedule> saved = new HashMap<>();

    private Schedule schedule(String name, Destination open, Destination closed) {
        Schedule schedule = new Schedule(UUID.randomUUID(), TEAM, name, ZoneId.of("UTC"),
                List.of(new Schedule.Period(DayOfWeek.FRIDAY, LocalTime.of(9, 0), LocalTime.of(17, 0))), open, List.of(), closed);
        saved.put(schedule.id(), schedule);
        return schedule;
    }

    private Optional<Schedule> find(UUID id) {
        return Optional.ofNullable(saved.get(id));
    }

    private List<Destination> leadsTo(Destination destination) {
        return destination instanceof Destination.Schedule(UUID id) && saved.containsKey(id)
                ? saved.get(id).destinations() : List.of();
    }

    private void refuseCycles(Schedule candidate) {
        Routes.refuseCycles(new Destination.Schedule(candidate.id()), candidate.name(), candidate.destinations(), this::leadsTo);
    }

    @Test
    void a_schedule_leading_to_another_schedule_is_followed_to_the_end_with_the_path() {
        Schedule weekend = schedule("Weekend", QUEUE, MESSAGE);
        Schedule office = schedule("Office", QUEUE, new Destination.Schedule(weekend.id()));
        // Friday 2026-11-27 18:00 UTC: the office is closed, and so is the weekend line.
        InboundRoutes.Route route = Routes.resolve(new Destination.Schedule(office.id()),
                Instant.parse("2026-11-27T18:00:00Z"), this::find);
        assertThat(route.destination()).isEqualTo(MESSAGE);
        assertThat(route.path()).containsExactly("schedule Office: closed", "schedule Weekend: closed");

        InboundRoutes.Route open = Routes.resolve(new Destination.Schedule(office.id()),
                Instant.parse("2026-11-27T10:00:00Z"), this::find);
        assertThat(open.destination()).isEqualTo(QUEUE);
        assertThat(open.path()).containsExactly("schedule Office: open");
    }

    @Test
    void a_destination_that_is_no_schedule_is_its_own_route() {
        assertThat(Routes.resolve(QUEUE, Instant.EPOCH, this::find).destination()).isEqualTo(QUEUE);
        assertThat(Routes.resolve(QUEUE, Instant.EPOCH, this::find).path()).isEmpty();
    }

    @Test
    void a_schedule_that_would_lead_back_to_itself_is_refused() {
        Schedule a = schedule("A", QUEUE, MESSAGE);
        Schedule b = schedule("B", QUEUE, new Destination.Schedule(a.id()));
        // A changed to close into B: A -> B -> A.
        Schedule changed = new Schedule(a.id(), TEAM, "A", a.zone(), a.periods(), QUEUE, List.of(), new Destination.Schedule(b.id()));
        assertThatThrownBy(() -> refuseCycles(changed))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.status().value()).isEqualTo(409))
                .hasMessageContaining("round in a circle");

        Schedule self = new Schedule(a.id(), TEAM, "A", a.zone(), a.periods(), new Destination.Schedule(a.id()), List.of(), MESSAGE);
        assertThatThrownBy(() -> refuseCycles(self)).isInstanceOf(ApiProblem.class);
    }

    @Test
    void two_schedules_sharing_a_third_are_no_cycle() {
        Schedule shared = schedule("Shared", QUEUE, MESSAGE);
        Schedule b = schedule("B", new Destination.Schedule(shared.id()), MESSAGE);
        Schedule a = new Schedule(UUID.randomUUID(), TEAM, "A", ZoneId.of("UTC"), List.of(),
                new Destination.Schedule(shared.id()), List.of(), new Destination.Schedule(b.id()));
        assertThatCode(() -> refuseCycles(a)).as("a diamond is no circle").doesNotThrowAnyException();
    }

    @Test
    void queues_whose_exits_lead_back_to_themselves_are_refused_and_a_chain_is_not() {
        Destination.Queue a = new Destination.Queue(UUID.randomUUID());
        Destination.Queue b = new Destination.Queue(UUID.randomUUID());
        Destination.Queue c = new Destination.Queue(UUID.randomUUID());
        Map<Destination, List<Destination>> exits = Map.of(b, List.of(c), c, List.of(a));
        java.util.function.Function<Destination, List<Destination>> leadsTo = d -> exits.getOrDefault(d, List.of());

        assertThatThrownBy(() -> Routes.refuseCycles(a, "Queue A", List.of(a), leadsTo))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.status().value()).isEqualTo(409));
        assertThatThrownBy(() -> Routes.refuseCycles(a, "Queue A", List.of(MESSAGE, b), leadsTo))
                .isInstanceOf(ApiProblem.class).hasMessageContaining("queue " + c.queueId() + " -> queue " + a.queueId());
        // b -> c -> a, with a leading nowhere further: a chain, saved.
        Routes.refuseCycles(b, "Queue B", List.of(c), d -> d.equals(c) ? List.of(a) : List.of());
    }
}
