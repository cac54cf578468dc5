package io.callcenter.routing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A team and its call settings.
 *
 * @param allowedPrefixes E.164 prefixes its agents may dial (toll-fraud protection), e.g. "+1"
 * @param wrapUp          how long an agent stays in wrap-up after a call unless they finish it earlier
 */
public record Team(UUID id, String name, String callerIdNumber, Duration maxCallDuration, List<String> allowedPrefixes,
                   Duration wrapUp) {

    public Team {
        allowedPrefixes = List.copyOf(allowedPrefixes);
    }

    public Team(UUID id, String name, String callerIdNumber, Duration maxCallDuration) {
        this(id, name, callerIdNumber, maxCallDuration, List.of("+1"), Duration.ofSeconds(60));
    }

    public boolean allowsDialling(String e164) {
        return allowedPrefixes.stream().anyMatch(e164::startsWith);
    }
}
