package io.callcenter.admin;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.web.ApiProblem;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping("/api/admin/teams")
class AdminTeamsController {

    private final TeamAdministration teams;

    AdminTeamsController(TeamAdministration teams) {
        this.teams = teams;
    }

    record NumberRequest(String number) {
    }

    @GetMapping
    List<Views.TeamView> all(Caller caller) {
        caller.require(Permissions.ADMIN);
        return teams.all();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Views.TeamView create(Caller caller, @RequestBody TeamAdministration.TeamSettings settings) {
        caller.require(Permissions.ADMIN);
        try {
            return teams.create(settings);
        } catch (DataIntegrityViolationException e) {
            // Checked before writing; another request created the same name or took the number in between.
            throw ApiProblem.conflict("conflict", "Conflict", "The team name or caller ID number was taken meanwhile");
        }
    }

    @PutMapping("/{id}")
    Views.TeamView update(Caller caller, @PathVariable UUID id, @RequestBody TeamAdministration.TeamSettings settings) {
        caller.require(Permissions.ADMIN);
        return teams.update(id, settings);
    }

    /**
     * Whether the team's calls are recorded and what every party hears first. About a dozen US states need every
     * party's consent, so leaving the announcement out is a legal decision, not a technical one.
     */
    @PutMapping("/{id}/recording")
    Views.TeamView recording(Caller caller, @PathVariable UUID id, @RequestBody TeamAdministration.RecordingSettings settings) {
        caller.require(Permissions.ADMIN);
        return teams.setRecording(id, settings);
    }

    /** 201 when the number is new to the team, 200 when it had it already. */
    @PostMapping("/{id}/numbers")
    ResponseEntity<Views.TeamView> addNumber(Caller caller, @PathVariable UUID id, @RequestBody NumberRequest request) {
        caller.require(Permissions.ADMIN);
        TeamAdministration.NumberAdded result = teams.addNumber(id, request.number());
        return ResponseEntity.status(result.added() ? HttpStatus.CREATED : HttpStatus.OK).body(result.team());
    }

    @DeleteMapping("/{id}/numbers/{e164}")
    ResponseEntity<Void> removeNumber(Caller caller, @PathVariable UUID id, @PathVariable String e164) {
        caller.require(Permissions.ADMIN);
        teams.removeNumber(id, e164);
        return ResponseEntity.noContent().build();
    }
}
