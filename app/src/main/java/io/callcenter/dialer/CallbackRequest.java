package io.callcenter.dialer;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A CALLBACK disposition's time and owner, decided before anything is stored. The agent gives the time as the
 * person said it, on the wall clock of the person's zone (the lead's list zone, else the number's); it must lie in
 * the future, within {@link #HORIZON}, and inside the campaign's calling hours and the law's in every zone the number
 * may be in, as any dial must. The owner is the agent who set it ({@code Owner.AGENT}: it comes back to them, as a
 * preview) or anyone on the campaign ({@code Owner.CAMPAIGN}: the lead joins the dial list ahead of the others).
 */
final class CallbackRequest {

    /** Further ahead than this a callback is a new campaign, not a promise to a person. */
    static final Duration HORIZON = Duration.ofDays(60);

    enum Owner { AGENT, CAMPAIGN }

    /** A valid callback, or why not (the problem's detail). */
    record Decision(Instant dueAt, ZoneId zone, String refusal) {
        boolean accepted() {
            return refusal == null;
        }
    }

    private CallbackRequest() {
    }

    /** The zone the agent's local time is read in: the list's zone, else the number's first. */
    static ZoneId zoneOf(Lead lead) {
        return CallingHours.parseZone(lead.timeZone()).orElseGet(() -> {
            List<ZoneId> zones = CallingHours.zonesOf(lead.e164());
            return zones.isEmpty() ? ZoneId.of("UTC") : zones.getFirst();
        });
    }

    static Decision decide(Lead lead, LocalDateTime local, CallingHours campaignHours, CallingHours lawful, Instant now) {
        ZoneId zone = zoneOf(lead);
        Instant due = local.atZone(zone).toInstant();
        if (!due.isAfter(now)) {
            return new Decision(due, zone, "the callback time " + local + " (" + zone + ") has passed");
        }
        if (due.isAfter(now.plus(HORIZON))) {
            return new Decision(due, zone, "a callback is at most " + HORIZON.toDays() + " days ahead");
        }
        List<ZoneId> zones = CallingHours.zonesFor(lead.e164(), lead.timeZone());
        if (!campaignHours.allows(due, zones, lawful)) {
            return new Decision(due, zone, String.format(Locale.ROOT,
                    "%s in %s is outside the calling hours (%s-%s, and the law's %s-%s in every zone of the number: %s)",
                    local.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), zone, campaignHours.start(), campaignHours.end(),
                    lawful.start(), lawful.end(), zones));
        }
        return new Decision(due, zone, null);
    }

    /** Whose it is: the agent's when asked for (and there is an agent), else the campaign's. */
    static Optional<UUID> ownerAgent(Owner owner, UUID agentId) {
        return owner == Owner.AGENT ? Optional.ofNullable(agentId) : Optional.empty();
    }
}
