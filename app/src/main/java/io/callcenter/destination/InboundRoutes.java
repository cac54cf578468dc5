package io.callcenter.destination;

import io.callcenter.routing.memory.RoutingMemory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where a call to one of our numbers goes at the moment it arrives; implemented by {@link DestinationService}. */
public interface InboundRoutes {

    /**
     * The final destination (never a schedule; a menu is final: the caller chooses there) and the path that led there, e.g. {@code ["schedule Office: closed"]};
     * empty when the number has no destination of its own (the team's default: its queue or its agents).
     */
    Optional<Route> route(String e164, Instant at);

    /** {@link #route(String, Instant)} with the number's destination and its schedules recalled from memory. */
    default Optional<Route> route(String e164, Instant at, RoutingMemory.Recall memory) {
        return route(e164, at);
    }

    /** From a destination (a menu's choice) through its schedules to a final destination at the instant. */
    Route follow(Destination from, Instant at);

    /** A menu a destination names. */
    Optional<VoiceMenu> menu(java.util.UUID menuId);

    record Route(Destination destination, List<String> path) {
        public Route {
            path = List.copyOf(path);
        }
    }

    /** No number has a destination of its own; schedules and menus are unknown. */
    InboundRoutes NONE = new InboundRoutes() {
        @Override
        public Optional<Route> route(String e164, Instant at) {
            return Optional.empty();
        }

        @Override
        public Route follow(Destination from, Instant at) {
            return new Route(from, List.of());
        }

        @Override
        public Optional<VoiceMenu> menu(java.util.UUID menuId) {
            return Optional.empty();
        }
    };
}
