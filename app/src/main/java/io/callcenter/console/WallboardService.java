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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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

    List<Wallboard.CampaignRow> campaigns(UUID teamId) {
        return repository.campaigns(teamId);
    }

    Wallboard build(Team team) {
        Instant now = clock.instant();
        Instant midnight = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
        List<Wallboard.AgentNow> now_ = agents.all().stream()
                .filter(agent -> team.id().equals(agent.teamId()))
                .sorted(Comparator.comparing(Agent::extension))
                .map(agent -> {
                    AgentPresence.StateChanged state = presence.current(agent.id());
                    return new Wallboard.AgentNow(agent.id(), agent.extension(), agent.displayName(),
                            state.state().name(), state.since(), state.callId(), state.reason());
                })
                .toList();
        return Wallboard.assemble(team.id(), team.name(), now, now_, repository.liveCalls(team.id()),
                repository.agentDays(team.id(), midnight), repository.day(team.id(), midnight),
                repository.campaigns(team.id()));
    }
}
