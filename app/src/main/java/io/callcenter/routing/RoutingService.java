package io.callcenter.routing;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Teams and their phone numbers: which team a DID reaches, which caller ID a team's calls show. */
@Service
public class RoutingService {

    private final TeamRepository teams;

    RoutingService(TeamRepository teams) {
        this.teams = teams;
    }

    public Optional<Team> teamForNumber(String e164) {
        return teams.findByNumber(e164);
    }

    public Optional<Team> team(UUID id) {
        return teams.findById(id);
    }

    public Optional<Team> teamNamed(String name) {
        return teams.findByName(name);
    }

    @Transactional
    public Team createTeam(String name, String callerIdNumber, Duration maxCallDuration) {
        Team team = new Team(UUID.randomUUID(), name, callerIdNumber, maxCallDuration);
        teams.insert(team);
        teams.insertNumber(team.id(), callerIdNumber);
        return team;
    }

    public void addNumber(UUID teamId, String e164) {
        teams.insertNumber(teamId, e164);
    }

    public void update(Team team) {
        teams.update(team);
    }

    public java.util.List<Team> teams() {
        return teams.findAll();
    }

    public java.util.List<String> numbers(UUID teamId) {
        return teams.numbers(teamId);
    }

    /** Calls without a team (none today) are not recorded. */
    public RecordingPolicy recordingPolicy(UUID teamId) {
        return teamId == null ? RecordingPolicy.NONE : teams.recordingPolicy(teamId).orElse(RecordingPolicy.NONE);
    }

    public void setRecordingPolicy(UUID teamId, RecordingPolicy policy) {
        teams.updateRecordingPolicy(teamId, policy);
    }
}
