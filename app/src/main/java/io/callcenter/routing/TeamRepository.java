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
                .execute();
    }

    void insertNumber(UUID teamId, String e164) {
        db.insertInto(TEAM_NUMBER).set(TEAM_NUMBER.E164, e164).set(TEAM_NUMBER.TEAM_ID, teamId)
                .onConflictDoNothing().execute();
    }

    private static Team toTeam(Record row) {
        return new Team(row.get(TEAM.ID), row.get(TEAM.NAME), row.get(TEAM.CALLER_ID_NUMBER),
                Duration.ofSeconds(row.get(TEAM.MAX_CALL_SECONDS)));
    }
}
