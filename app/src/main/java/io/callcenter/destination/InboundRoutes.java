package io.callcenter.destination;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where a call to one of our numbers goes at the moment it arrives; implemented by {@link DestinationService}. */
public interface InboundRoutes {

    /**
     * The final destination (never a schedule) and the path that led there, e.g. {@code ["schedule Office: closed"]};
     * empty when the number has no destination of its own (the team's default: its queue or its agents).
     */
    Optional<Route> route(String e164, Instant at);

    record Route(Destination destination, List<String> path) {
        public Route {
            path = List.copyOf(path);
        }
    }

    InboundRoutes NONE = (e164, at) -> Optional.empty();
}
