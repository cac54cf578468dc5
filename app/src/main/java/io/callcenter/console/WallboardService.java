package io.callcenter.console;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
import io.callcenter.identity.Permissions;
import io.callcenter.routing.RoutingService;
import io.callcenter.routing.Team;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Builds a team's wallboard from presence (live, in memory) and the call and campaign tables. */
@Service
class WallboardService {

    private final AgentDirectory agents;
    private final AgentPresence presence;
    private final RoutingService routing;
    private final WallboardRepository repository;
    private final Clock clock;
    /** "Today" starts at midnight here; the console is read in one place, the call center's. */
    private final ZoneId zone = ZoneId.systemDefault();
    /**
     * The day's figures per team, kept until one of the team's calls changes (or the day does): agents changing
     * state, most of a wallboard's events, then cost no scan of the day's calls.
     */
    private final Map<UUID, DayFigures> days = new ConcurrentHashMap<>();
    /** Counts each team's call changes, so figures read while a call changed are used once but never kept. */
    private final Map<UUID, Long> changes = new ConcurrentHashMap<>();

    /** The team of each queue seen in a queue event (a queue never changes team). */
    private final Map<UUID, UUID> queueTeams = new ConcurrentHashMap<>();

    /**
     * Queue figures ride along with the day's: both change only with a call or queue event of the team, so the
     * callers waiting now are kept too (their longest wait is an instant; the page counts the seconds).
     */
    private record DayFigures(Instant midnight, Wallboard.Day day, Map<UUID, Wallboard.AgentDay> agents,
                              List<QueueTile> queues) {
    }

    WallboardService(AgentDirectory agents, AgentPresence presence, RoutingService routing,
                     WallboardRepository repository) {
        this.agents = agents;
        this.presence = presence;
        this.routing = routing;
        this.repository = repository;
        this.clock = Clock.systemUTC();
    }

    /**
     * The team a user may watch: the one asked for, else their own (an administrator without a team gets the first).
     * Empty when they may not see it, which callers answer like a team that does not exist.
     */
    Optional<Team> watchable(Set<String> permissions, UUID ownTeam, UUID asked) {
        if (!permissions.contains(Permissions.TEAM_READ)) {
            return Optional.empty();
        }
        boolean admin = permissions.contains(Permissions.ADMIN);
        UUID team = asked != null ? asked : ownTeam;
        if (team == null) {
            return admin ? routing.teams().stream().min(Comparator.comparing(Team::name)) : Optional.empty();
        }
        if (!admin && !team.equals(ownTeam)) {
            return Optional.empty();
        }
        return routing.team(team);
    }

    Optional<Team> team(UUID id) {
        return routing.team(id);
    }

    List<Team> allTeams() {
        return routing.teams();
    }

    Optional<UUID> teamOfAgent(UUID agentId) {
        return agents.byId(agentId).map(Agent::teamId);
    }

    /** One of the team's calls changed: its day's figures are read afresh at the next push. */
    void callsChanged(UUID teamId) {
        changes.merge(teamId, 1L, Long::sum);
        days.remove(teamId);
    }

    Optional<UUID> teamOfQueue(UUID queueId) {
        UUID team = queueTeams.get(queueId);
        if (team != null) {
            return Optional.of(team);
        }
        Optional<UUID> read = repository.teamOfQueue(queueId);
        read.ifPresent(found -> queueTeams.put(queueId, found));
        return read;
    }

    List<Wallboard.CampaignRow> campaigns(UUID teamId) {
        return repository.campaigns(teamId);
    }

    Wallboard build(Team team) {
        Instant now = clock.instant();
        Instant midnight = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
        List<Wallboard.AgentNow> roster = agents.all().stream()
                .filter(agent -> team.id().equals(agent.teamId()))
                .sorted(Comparator.comparing(Agent::extension))
                .map(agent -> {
                    AgentPresence.StateChanged state = presence.current(agent.id());
                    return new Wallboard.AgentNow(agent.id(), agent.extension(), agent.displayName(),
                            state.state().name(), state.since(), state.callId(), state.reason());
                })
                .toList();
        DayFigures day = days.get(team.id());
        if (day == null || !day.midnight().equals(midnight)) {
            long seen = changes.getOrDefault(team.id(), 0L);
            day = new DayFigures(midnight, repository.day(team.id(), midnight), repository.agentDays(team.id(), midnight),
                    queues(team.id(), midnight, now));
            days.put(team.id(), day);
            if (changes.getOrDefault(team.id(), 0L) != seen) {
                // A call changed while these were read: use them for this frame, keep them for none.
                days.remove(team.id(), day);
            }
        }
        return Wallboard.assemble(team.id(), team.name(), now, roster, repository.liveCalls(team.id()), day.agents(),
                day.day(), repository.campaigns(team.id())).withQueues(day.queues());
    }

    private List<QueueTile> queues(UUID teamId, Instant midnight, Instant now) {
        List<QueueTile.Day> days = repository.queueDays(teamId, midnight);
        if (days.isEmpty()) {
            return List.of();
        }
        Map<UUID, QueueTile.Waiting> waiting = repository.queueWaiting(teamId, now);
        return days.stream().map(d -> QueueTile.of(d, waiting.getOrDefault(d.queueId(), QueueTile.Waiting.NONE))).toList();
    }
}
