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

/**
 * Following destinations through schedules, and refusing schedules, menus and queues (through their exits) that could
 * send a call round in circles.
 */
public final class Routes {

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
     * Refuses (409 problem) a schedule, menu or queue ({@code self}, as it would be saved, leading to {@code out})
     * whose destinations lead back to itself through other schedules, menus and queues ({@code edges}: where each
     * leads now).
     */
    public static void refuseCycles(Destination self, String name, List<Destination> out,
                             Function<Destination, List<Destination>> edges) {
        Set<Destination> onPath = new LinkedHashSet<>();
        onPath.add(self);
        for (Destination destination : out) {
            walk(destination, name, edges, onPath);
        }
    }

    private static void walk(Destination destination, String name, Function<Destination, List<Destination>> edges,
                             Set<Destination> onPath) {
        if (!(destination instanceof Destination.Schedule) && !(destination instanceof Destination.Menu)
                && !(destination instanceof Destination.Queue)) {
            return;
        }
        if (onPath.contains(destination)) {
            List<String> cycle = onPath.stream().map(d -> d.kind() + " " + d.target()).toList();
            throw new ApiProblem(HttpStatus.CONFLICT, "destination-cycle", "Destinations in a cycle",
                    name + " would send calls round in a circle: " + String.join(" -> ", cycle) + " -> "
                            + destination.kind() + " " + destination.target()).with("cycle", cycle);
        }
        onPath.add(destination);
        for (Destination further : edges.apply(destination)) {
            walk(further, name, edges, onPath);
        }
        onPath.remove(destination);
    }
}
