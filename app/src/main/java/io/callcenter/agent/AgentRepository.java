package io.callcenter.agent;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.AGENT;

@Repository
class AgentRepository {

    private final DSLContext db;

    AgentRepository(DSLContext db) {
        this.db = db;
    }

    Optional<Agent> findByExtension(String extension) {
        return db.selectFrom(AGENT).where(AGENT.EXTENSION.eq(extension)).fetchOptional(AgentRepository::toAgent);
    }

    Optional<Agent> findById(UUID id) {
        return db.selectFrom(AGENT).where(AGENT.ID.eq(id)).fetchOptional(AgentRepository::toAgent);
    }

    /** Longest idle first: agents who never took a call, then by when their last call ended. */
    List<Agent> findByTeamLongestIdleFirst(UUID teamId) {
        return db.selectFrom(AGENT).where(AGENT.TEAM_ID.eq(teamId))
                .orderBy(AGENT.LAST_CALL_ENDED_AT.asc().nullsFirst(), AGENT.EXTENSION)
                .fetch(AgentRepository::toAgent);
    }

    List<SipCredentials> findAllCredentials() {
        return db.select(AGENT.EXTENSION, AGENT.DISPLAY_NAME, AGENT.SIP_PASSWORD).from(AGENT).orderBy(AGENT.EXTENSION)
                .fetch(row -> new SipCredentials(row.value1(), row.value2(), row.value3()));
    }

    void insert(Agent agent, String sipPassword) {
        db.insertInto(AGENT)
                .set(AGENT.ID, agent.id())
                .set(AGENT.EXTENSION, agent.extension())
                .set(AGENT.DISPLAY_NAME, agent.displayName())
                .set(AGENT.TEAM_ID, agent.teamId())
                .set(AGENT.SIP_PASSWORD, sipPassword)
                .execute();
    }

    void updatePassword(String extension, String sipPassword) {
        db.update(AGENT).set(AGENT.SIP_PASSWORD, sipPassword).where(AGENT.EXTENSION.eq(extension)).execute();
    }

    void markCallEnded(UUID agentId, Instant endedAt) {
        db.update(AGENT).set(AGENT.LAST_CALL_ENDED_AT, OffsetDateTime.ofInstant(endedAt, ZoneOffset.UTC))
                .where(AGENT.ID.eq(agentId)).execute();
    }

    private static Agent toAgent(Record row) {
        return new Agent(row.get(AGENT.ID), row.get(AGENT.EXTENSION), row.get(AGENT.DISPLAY_NAME), row.get(AGENT.TEAM_ID));
    }

    record SipCredentials(String extension, String displayName, String password) {
    }
}
