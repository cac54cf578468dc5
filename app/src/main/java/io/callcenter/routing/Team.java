package io.callcenter.routing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A team and its call settings.
 *
 * @param allowedPrefixes  E.164 prefixes its agents may dial, a narrowing within the countries (e.g. "+1")
 * @param wrapUp           how long an agent stays in wrap-up after a call unless they finish it earlier
 * @param allowedCountries the countries its agents may dial (toll-fraud protection): ISO 3166 regions as
 *                         libphonenumber assigns a number to one, so "+1" alone no longer lets the Caribbean through
 */
public record Team(UUID id, String name, String callerIdNumber, Duration maxCallDuration, List<String> allowedPrefixes,
                   Duration wrapUp, List<String> allowedCountries) {

    /** The default: the United States and Canada, not every country of the +1 plan. */
    public static final List<String> DEFAULT_COUNTRIES = List.of("US", "CA");

    public Team {
        allowedPrefixes = List.copyOf(allowedPrefixes);
        allowedCountries = List.copyOf(allowedCountries);
    }

    public Team(UUID id, String name, String callerIdNumber, Duration maxCallDuration, List<String> allowedPrefixes,
                Duration wrapUp) {
        this(id, name, callerIdNumber, maxCallDuration, allowedPrefixes, wrapUp, DEFAULT_COUNTRIES);
    }

    public Team(UUID id, String name, String callerIdNumber, Duration maxCallDuration) {
        this(id, name, callerIdNumber, maxCallDuration, List.of("+1"), Duration.ofSeconds(60));
    }

    /** In one of the team's countries, and within its prefixes. */
    public boolean allowsDialling(String e164) {
        return PhoneNumbers.regionOf(e164).filter(allowedCountries::contains).isPresent()
                && allowedPrefixes.stream().anyMatch(e164::startsWith);
    }
}
