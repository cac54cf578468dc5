package io.callcenter.routing;

import io.callcenter.ops.LastKnown;
import io.callcenter.routing.memory.RoutingMemory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** Teams and their phone numbers: which team a DID reaches, which caller ID a team's calls show. */
@Service
public class RoutingService {

    private final TeamRepository teams;
    // A new call is routed from these while the database is away (README, "When the database is down").
    private final LastKnown<String, Optional<Team>> teamByNumber = new LastKnown<>();
    private final LastKnown<UUID, Optional<Team>> teamById = new LastKnown<>();
    private final LastKnown<UUID, RecordingPolicy> recordingPolicies = new LastKnown<>();
    private final RoutingMemory memory;

    RoutingService(TeamRepository teams, RoutingMemory.Generations generations) {
        this.teams = teams;
        this.memory = new RoutingMemory(generations, Clock.systemUTC(), Duration.ofMinutes(5));
    }

    /**
     * The memory of routing data for one new inbound call (one read of the routing generation): its lookups are
     * answered from memory while no edit of teams, numbers, schedules or queues was committed since it was filled.
     */
    public RoutingMemory.Recall pin() {
        return memory.pin();
    }

    public Optional<Team> teamForNumber(String e164) {
        return teamByNumber.read(e164, () -> teams.findByNumber(e164));
    }

    public Optional<Team> team(UUID id) {
        return teamById.read(id, () -> teams.findById(id));
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

    /** Creates the team with all its settings; its caller ID becomes its first DID. */
    @Transactional
    public Team createTeam(Team team) {
        teams.insert(team);
        teams.insertNumber(team.id(), team.callerIdNumber());
        return team;
    }

    /**
     * Gives the DID to the team unless another team has it, and returns who owns it afterwards: the team itself
     * (newly or already) or the other team. One insert-then-read, so two admins racing for a number cannot both win.
     */
    @Transactional
    public UUID assignNumber(UUID teamId, String e164) {
        teams.insertNumber(teamId, e164);
        return teams.numberOwner(e164).orElseThrow();
    }

    public Optional<UUID> numberOwner(String e164) {
        return teams.numberOwner(e164);
    }

    public boolean removeNumber(UUID teamId, String e164) {
        return teams.deleteNumber(teamId, e164);
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
        return teamId == null ? RecordingPolicy.NONE
                : recordingPolicies.read(teamId, () -> teams.recordingPolicy(teamId).orElse(RecordingPolicy.NONE));
    }

    public void setRecordingPolicy(UUID teamId, RecordingPolicy policy) {
        teams.updateRecordingPolicy(teamId, policy);
    }
}
