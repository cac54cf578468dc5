package io.callcenter.console;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.routing.Team;
import io.callcenter.web.ApiProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** The wallboard as one read, for a first paint and for tools; the page keeps it current over the WebSocket. */
@RestController
class ConsoleController {

    private final WallboardService wallboards;

    ConsoleController(WallboardService wallboards) {
        this.wallboards = wallboards;
    }

    record TeamChoice(UUID id, String name) {
    }

    /** The teams the caller may watch: a manager their own, an administrator every team. */
    @GetMapping("/api/console/teams")
    List<TeamChoice> teams(Caller caller) {
        caller.require(Permissions.TEAM_READ);
        List<Team> teams = caller.isAdmin() ? wallboards.allTeams()
                : wallboards.watchable(caller.permissions(), caller.teamId(), null).stream().toList();
        return teams.stream().sorted(Comparator.comparing(Team::name)).map(t -> new TeamChoice(t.id(), t.name())).toList();
    }

    /** Another team's wallboard answers 404, like a team that does not exist. */
    @GetMapping("/api/console/wallboard")
    Wallboard wallboard(Caller caller, @RequestParam(required = false) UUID teamId) {
        caller.require(Permissions.TEAM_READ);
        Team team = wallboards.watchable(caller.permissions(), caller.teamId(), teamId)
                .orElseThrow(() -> ApiProblem.notFound(teamId == null ? "You belong to no team" : "No team with id " + teamId));
        return wallboards.build(team);
    }
}
