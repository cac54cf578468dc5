package io.callcenter.admin;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.agent.AgentPresence;
import io.callcenter.identity.Caller;
import io.callcenter.identity.IdentityService;
import io.callcenter.identity.Permissions;
import io.callcenter.identity.User;
import io.callcenter.routing.RoutingService;
import io.callcenter.web.ApiProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A manager's view of their team's agents and what each is doing now. */
@RestController
class TeamAgentsController {

    private final AgentDirectory agents;
    private final AgentPresence presence;
    private final IdentityService identity;
    private final RoutingService routing;

    TeamAgentsController(AgentDirectory agents, AgentPresence presence, IdentityService identity, RoutingService routing) {
        this.agents = agents;
        this.presence = presence;
        this.identity = identity;
        this.routing = routing;
    }

    record TeamAgent(UUID agentId, String extension, String displayName, String username, UUID teamId, String phone,
                     String state, Instant since, UUID callId) {
    }

    /** Managers see their own team; administrators every team, or the one {@code teamId} names. */
    @GetMapping("/api/team/agents")
    List<TeamAgent> agents(Caller caller, @RequestParam(required = false) UUID teamId) {
        caller.require(Permissions.TEAM_READ);
        UUID team = teamId != null ? teamId : caller.teamId();
        if (team == null && !caller.isAdmin()) {
            throw ApiProblem.forbidden("You belong to no team");
        }
        if (team != null && !caller.seesTeam(team)) {
            throw ApiProblem.forbidden("You can only see the agents of your own team");
        }
        if (team != null && routing.team(team).isEmpty()) {
            throw ApiProblem.notFound("No team with id " + team);
        }
        Map<UUID, String> usernames = (team == null ? identity.all() : identity.inTeam(team)).stream()
                .filter(user -> user.agentId() != null)
                .collect(Collectors.toMap(User::agentId, User::username, (a, b) -> a));
        return agents.all().stream()
                .filter(agent -> team == null || team.equals(agent.teamId()))
                .sorted(Comparator.comparing(Agent::extension))
                .map(agent -> row(agent, usernames::get))
                .toList();
    }

    private TeamAgent row(Agent agent, Function<UUID, String> username) {
        AgentPresence.StateChanged state = presence.current(agent.id());
        return new TeamAgent(agent.id(), agent.extension(), agent.displayName(), username.apply(agent.id()),
                agent.teamId(), Views.phoneName(agent.phone()), state.state().name(), state.since(), state.callId());
    }
}
