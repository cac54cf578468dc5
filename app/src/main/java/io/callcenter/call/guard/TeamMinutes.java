package io.callcenter.call.guard;

import io.callcenter.routing.Team;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A team's outbound talk time in the last hour, capped: a hijacked account or a runaway script dialling expensive
 * numbers is stopped within the hour whatever the per-agent limits, and an administrator is alerted (an error in
 * the log at 100 %, a warning at 80 %, once per hour and team).
 */
final class TeamMinutes {

    private static final Logger log = LoggerFactory.getLogger(TeamMinutes.class);
    /** Ten agents on the phone the whole hour: above that something is wrong for most call centers. */
    static final Duration DEFAULT_CAP = Duration.ofMinutes(600);
    private static final Duration HOUR = Duration.ofHours(1);

    private record Talk(Instant endedAt, Duration talked) {
    }

    private final Clock clock;
    private final Duration cap;
    private final Map<UUID, Deque<Talk>> talks = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> warned = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> alerted = new ConcurrentHashMap<>();

    TeamMinutes(Clock clock, Duration cap) {
        this.clock = clock;
        this.cap = cap;
    }

    void add(UUID teamId, Instant endedAt, Duration talked) {
        if (teamId == null || talked.isNegative() || talked.isZero()) {
            return;
        }
        Deque<Talk> team = talks.computeIfAbsent(teamId, id -> new ArrayDeque<>());
        synchronized (team) {
            team.addLast(new Talk(endedAt, talked));
        }
        Duration used = used(teamId, clock.instant());
        if (!cap.isZero() && used.compareTo(cap.multipliedBy(8).dividedBy(10)) >= 0 && once(warned, teamId)) {
            log.warn("team {}: {} of {} outbound minutes used in the last hour", teamId, used.toMinutes(), cap.toMinutes());
        }
    }

    Optional<OutboundGuard.Refusal> refusal(Team team) {
        if (cap.isZero()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration used = used(team.id(), now);
        if (used.compareTo(cap) < 0) {
            return Optional.empty();
        }
        Duration retry = untilBelowCap(team.id(), now);
        if (once(alerted, team.id())) {
            log.error("ALERT team {} ({}): {} outbound minutes in the last hour reached the cap of {}; outbound calls "
                    + "are refused for {} s (callcenter.calls.team-outbound-minutes-per-hour)", team.name(), team.id(),
                    used.toMinutes(), cap.toMinutes(), retry.toSeconds());
        }
        return Optional.of(new OutboundGuard.Refusal(429, "team-minutes-exhausted", "Team's outbound minutes used up",
                "Team " + team.name() + " talked " + used.toMinutes() + " outbound minutes in the last hour, the cap is "
                        + cap.toMinutes() + "; try again in " + retry.toSeconds() + " s",
                "team_minutes_exhausted", retry));
    }

    private Duration used(UUID teamId, Instant now) {
        Deque<Talk> team = talks.get(teamId);
        if (team == null) {
            return Duration.ZERO;
        }
        synchronized (team) {
            while (!team.isEmpty() && !team.peekFirst().endedAt().isAfter(now.minus(HOUR))) {
                team.pollFirst();
            }
            return team.stream().map(Talk::talked).reduce(Duration.ZERO, Duration::plus);
        }
    }

    /** When enough of the hour's talk has aged out to be under the cap again. */
    private Duration untilBelowCap(UUID teamId, Instant now) {
        Deque<Talk> team = talks.get(teamId);
        synchronized (team) {
            Duration used = team.stream().map(Talk::talked).reduce(Duration.ZERO, Duration::plus);
            for (Talk talk : team) {
                used = used.minus(talk.talked());
                if (used.compareTo(cap) < 0) {
                    return Duration.between(now, talk.endedAt().plus(HOUR)).plusSeconds(1);
                }
            }
        }
        return HOUR;
    }

    private boolean once(Map<UUID, Instant> lastTime, UUID teamId) {
        Instant now = clock.instant();
        Instant last = lastTime.get(teamId);
        if (last != null && now.isBefore(last.plus(HOUR))) {
            return false;
        }
        lastTime.put(teamId, now);
        return true;
    }
}
