package io.callcenter.routing;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.TEAM;
import static io.callcenter.db.Tables.TEAM_NUMBER;

@Repository
class TeamRepository {

    private final DSLContext db;

    TeamRepository(DSLContext db) {
        this.db = db;
    }

    Optional<Team> findByNumber(String e164) {
        return db.select(TEAM.fields()).from(TEAM)
                .join(TEAM_NUMBER).on(TEAM_NUMBER.TEAM_ID.eq(TEAM.ID))
                .where(TEAM_NUMBER.E164.eq(e164))
                .fetchOptional(TeamRepository::toTeam);
    }

    Optional<Team> findById(UUID id) {
        return db.select(TEAM.fields()).from(TEAM).where(TEAM.ID.eq(id)).fetchOptional(TeamRepository::toTeam);
    }

    Optional<Team> findByName(String name) {
        return db.select(TEAM.fields()).from(TEAM).where(TEAM.NAME.eq(name)).fetchOptional(TeamRepository::toTeam);
    }

    void insert(Team team) {
        db.insertInto(TEAM)
                .set(TEAM.ID, team.id())
                .set(TEAM.NAME, team.name())
                .set(TEAM.CALLER_ID_NUMBER, team.callerIdNumber())
                .set(TEAM.MAX_CALL_SECONDS, (int) team.maxCallDuration().toSeconds())
                .set(TEAM.ALLOWED_PREFIXES, team.allowedPrefixes().toArray(String[]::new))
                .set(TEAM.ALLOWED_COUNTRIES, team.allowedCountries().toArray(String[]::new))
                .set(TEAM.WRAP_UP_SECONDS, (int) team.wrapUp().toSeconds())
                .execute();
    }

    void update(Team team) {
        db.update(TEAM)
                .set(TEAM.CALLER_ID_NUMBER, team.callerIdNumber())
                .set(TEAM.MAX_CALL_SECONDS, (int) team.maxCallDuration().toSeconds())
                .set(TEAM.ALLOWED_PREFIXES, team.allowedPrefixes().toArray(String[]::new))
                .set(TEAM.ALLOWED_COUNTRIES, team.allowedCountries().toArray(String[]::new))
                .set(TEAM.WRAP_UP_SECONDS, (int) team.wrapUp().toSeconds())
                .where(TEAM.ID.eq(team.id()))
                .execute();
    }

    java.util.List<Team> findAll() {
        return db.select(TEAM.fields()).from(TEAM).orderBy(TEAM.NAME).fetch(TeamRepository::toTeam);
    }

    java.util.List<String> numbers(UUID teamId) {
        return db.select(TEAM_NUMBER.E164).from(TEAM_NUMBER).where(TEAM_NUMBER.TEAM_ID.eq(teamId))
                .orderBy(TEAM_NUMBER.E164).fetch(TEAM_NUMBER.E164);
    }

    void insertNumber(UUID teamId, String e164) {
        db.insertInto(TEAM_NUMBER).set(TEAM_NUMBER.E164, e164).set(TEAM_NUMBER.TEAM_ID, teamId)
                .onConflictDoNothing().execute();
    }

    Optional<RecordingPolicy> recordingPolicy(UUID teamId) {
        return db.select(TEAM.RECORD_CALLS, TEAM.RECORDING_ANNOUNCEMENT).from(TEAM).where(TEAM.ID.eq(teamId))
                .fetchOptional(row -> new RecordingPolicy(row.value1(), row.value2()));
    }

    void updateRecordingPolicy(UUID teamId, RecordingPolicy policy) {
        db.update(TEAM).set(TEAM.RECORD_CALLS, policy.record()).set(TEAM.RECORDING_ANNOUNCEMENT, policy.announcement())
                .where(TEAM.ID.eq(teamId)).execute();
    }

    /** The team that owns the DID, if any. */
    Optional<UUID> numberOwner(String e164) {
        return db.select(TEAM_NUMBER.TEAM_ID).from(TEAM_NUMBER).where(TEAM_NUMBER.E164.eq(e164))
                .fetchOptional(TEAM_NUMBER.TEAM_ID);
    }

    boolean deleteNumber(UUID teamId, String e164) {
        return db.deleteFrom(TEAM_NUMBER).where(TEAM_NUMBER.TEAM_ID.eq(teamId)).and(TEAM_NUMBER.E164.eq(e164))
                .execute() > 0;
    }

    private static Team toTeam(Record row) {
        return new Team(row.get(TEAM.ID), row.get(TEAM.NAME), row.get(TEAM.CALLER_ID_NUMBER),
                Duration.ofSeconds(row.get(TEAM.MAX_CALL_SECONDS)), java.util.List.of(row.get(TEAM.ALLOWED_PREFIXES)),
                Duration.ofSeconds(row.get(TEAM.WRAP_UP_SECONDS)), java.util.List.of(row.get(TEAM.ALLOWED_COUNTRIES)));
    }
}
