package io.callcenter.destination;

import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Following destinations through schedules, and refusing schedules that could send a call round in circles. */
final class Routes {

    private Routes() {
    }

    /** Follows schedules from {@code start} to a final destination at the instant. */
    static InboundRoutes.Route resolve(Destination start, Instant at, Function<UUID, Optional<Schedule>> schedules) {
        List<String> path = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        Destination current = start;
        while (current instanceof Destination.Schedule(UUID scheduleId)) {
            if (!seen.add(scheduleId)) {
                // Refused when saved; a cycle here means the data changed under us: stop rather than loop.
                throw new IllegalStateException("schedule cycle through " + scheduleId);
            }
            Schedule schedule = schedules.apply(scheduleId)
                    .orElseThrow(() -> new IllegalStateException("no schedule " + scheduleId));
            Schedule.Decision decision = schedule.decide(at);
            path.add("schedule " + schedule.name() + ": " + decision.why());
            current = decision.destination();
        }
        return new InboundRoutes.Route(current, path);
    }

    /**
     * Refuses (409 problem) a schedule whose destinations lead back to itself through other schedules, given the
     * schedule as it would be saved and the others as they are.
     */
    static void refuseCycles(Schedule candidate, Function<UUID, Optional<Schedule>> others) {
        Set<UUID> onPath = new LinkedHashSet<>();
        onPath.add(candidate.id());
        for (Destination destination : candidate.destinations()) {
            walk(destination, candidate, others, onPath);
        }
    }

    private static void walk(Destination destination, Schedule candidate, Function<UUID, Optional<Schedule>> others,
                             Set<UUID> onPath) {
        if (!(destination instanceof Destination.Schedule(UUID next))) {
            return;
        }
        if (onPath.contains(next)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "destination-cycle", "Destinations in a cycle",
                    "Schedule " + candidate.name() + " would send calls round in a circle through schedules " + onPath
                            + " and back to " + next).with("cycle", List.copyOf(onPath));
        }
        Optional<Schedule> schedule = next.equals(candidate.id()) ? Optional.of(candidate) : others.apply(next);
        if (schedule.isEmpty()) {
            return;
        }
        onPath.add(next);
        for (Destination further : schedule.get().destinations()) {
            walk(further, candidate, others, onPath);
        }
        onPath.remove(next);
    }
}
