package io.callcenter.call.guard;

import io.callcenter.agent.Agent;
import io.callcenter.routing.DoNotCallList;
import io.callcenter.routing.PhoneNumbers;
import io.callcenter.routing.Team;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What must be true before a number leaves through the trunk, however the call was placed: not on a do-not-call
 * list, inside the team's allowed country prefixes and not a premium-rate number (toll fraud), and the agent not
 * dialling faster than a person plausibly can (a hijacked account or a runaway script).
 */
public final class OutboundGuard {

    /** Why a number may not be dialled; {@code status} is the HTTP status the API answers with. */
    public record Refusal(int status, String slug, String title, String detail, String cause, Duration retryAfter) {
    }

    private final DoNotCallList doNotCall;
    private final Clock clock;
    private final int maxDialsPerMinute;
    private final Map<UUID, Deque<Instant>> recentDials = new ConcurrentHashMap<>();
    private final TeamMinutes teamMinutes;

    public OutboundGuard(DoNotCallList doNotCall, Clock clock, int maxDialsPerMinute) {
        this(doNotCall, clock, maxDialsPerMinute, TeamMinutes.DEFAULT_CAP);
    }

    /** @param teamMinutesPerHour outbound minutes a team may talk in any hour; zero: no cap */
    public OutboundGuard(DoNotCallList doNotCall, Clock clock, int maxDialsPerMinute, Duration teamMinutesPerHour) {
        this.doNotCall = doNotCall;
        this.clock = clock;
        this.maxDialsPerMinute = maxDialsPerMinute;
        this.teamMinutes = new TeamMinutes(clock, teamMinutesPerHour);
    }

    /** The guard's time: the calling hours of a queue callback are judged by it too. */
    public Instant now() {
        return clock.instant();
    }

    /** Checks a dial attempt and, if allowed, counts it against the agent's rate. */
    public Optional<Refusal> check(Agent agent, Team team, String e164) {
        return check(agent, team, e164, () -> doNotCall.contains(e164));
    }

    /**
     * The same check with the do-not-call fact read ahead ({@link #listedAhead}): the rules, their order and the
     * rate counting are those of {@link #check(Agent, Team, String)}.
     */
    public Optional<Refusal> check(Agent agent, Team team, String e164, BooleanSupplier listed) {
        return checkNumber(team, e164, listed).or(() -> countDial(agent.id()));
    }

    /**
     * Starts reading whether a number is on the do-not-call list, on a thread of its own, for a check that comes
     * later: a click to dial reads its agent and team first, and under a burst each read waits for a pooled
     * connection, so this read overlapping them takes one wait off the time to the agent's phone ringing. The
     * answer is the list as it stands when read, a few milliseconds before the check, as a read inside the check
     * would be; a failed read fails the check as it would have.
     */
    public BooleanSupplier listedAhead(String e164) {
        CompletableFuture<Boolean> read = CompletableFuture.supplyAsync(() -> doNotCall.contains(e164),
                task -> Thread.ofVirtual().name("dnc-ahead").start(task));
        return () -> {
            try {
                return read.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        };
    }

    /** An outbound call of the team ended after this much talk: it counts against the team's hourly minutes. */
    public void outboundEnded(UUID teamId, Instant endedAt, Duration talked) {
        teamMinutes.add(teamId, endedAt, talked);
    }

    /**
     * Checks a number the team's calls are sent on to (an inbound number's destination): the same rules as for an
     * agent's dial, without an agent's rate.
     */
    public Optional<Refusal> checkNumber(Team team, String e164) {
        return checkNumber(team, e164, () -> doNotCall.contains(e164));
    }

    private Optional<Refusal> checkNumber(Team team, String e164, BooleanSupplier listed) {
        if (!team.allowsDialling(e164)) {
            return Optional.of(new Refusal(400, "country-not-allowed", "Destination not allowed",
                    e164 + " (" + PhoneNumbers.regionOf(e164).orElse("no country") + ") is outside the countries "
                            + team.allowedCountries() + " and prefixes " + team.allowedPrefixes() + " team " + team.name()
                            + " may dial",
                    "destination_not_allowed", null));
        }
        if (PhoneNumbers.isPremiumRate(e164)) {
            return Optional.of(new Refusal(400, "country-not-allowed", "Destination not allowed",
                    e164 + " is a premium-rate number", "destination_not_allowed", null));
        }
        Optional<Refusal> overMinutes = teamMinutes.refusal(team);
        if (overMinutes.isPresent()) {
            return overMinutes;
        }
        if (listed.getAsBoolean()) {
            return Optional.of(new Refusal(403, "do-not-call", "Number on the do-not-call list",
                    e164 + " is on the do-not-call list and must not be called", "do_not_call", null));
        }
        return Optional.empty();
    }

    private Optional<Refusal> countDial(UUID agentId) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(Duration.ofMinutes(1));
        Deque<Instant> dials = recentDials.computeIfAbsent(agentId, id -> new ArrayDeque<>());
        synchronized (dials) {
            while (!dials.isEmpty() && !dials.peekFirst().isAfter(windowStart)) {
                dials.pollFirst();
            }
            if (dials.size() >= maxDialsPerMinute) {
                Duration retry = Duration.between(windowStart, dials.peekFirst()).plusSeconds(1);
                return Optional.of(new Refusal(429, "rate-limited", "Too many calls",
                        "At most " + maxDialsPerMinute + " calls a minute per agent; try again in " + retry.toSeconds() + " s",
                        "rate_limited", retry));
            }
            dials.addLast(now);
            return Optional.empty();
        }
    }
}
