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
import static io.callcenter.db.Tables.AGENT_STATE_EVENT;

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

    /** The team's agents with the end of their last call (null: never took one), in no particular order. */
    List<Member> findTeamMembers(UUID teamId) {
        return db.selectFrom(AGENT).where(AGENT.TEAM_ID.eq(teamId))
                .fetch(row -> new Member(toAgent(row), row.get(AGENT.LAST_CALL_ENDED_AT) == null ? null
                        : row.get(AGENT.LAST_CALL_ENDED_AT).toInstant()));
    }

    record Member(Agent agent, Instant lastCallEndedAt) {
    }

    List<SipEndpoint> findAllEndpoints() {
        return db.selectFrom(AGENT).orderBy(AGENT.EXTENSION).fetch(row -> new SipEndpoint(toAgent(row), row.get(AGENT.SIP_MD5_CRED)));
    }

    Optional<SipEndpoint> findEndpoint(UUID agentId) {
        return db.selectFrom(AGENT).where(AGENT.ID.eq(agentId))
                .fetchOptional(row -> new SipEndpoint(toAgent(row), row.get(AGENT.SIP_MD5_CRED)));
    }

    void insert(Agent agent, String sipMd5Cred) {
        db.insertInto(AGENT)
                .set(AGENT.ID, agent.id())
                .set(AGENT.EXTENSION, agent.extension())
                .set(AGENT.DISPLAY_NAME, agent.displayName())
                .set(AGENT.TEAM_ID, agent.teamId())
                .set(AGENT.PHONE, agent.phone().dbValue())
                .set(AGENT.SIP_MD5_CRED, sipMd5Cred)
                .execute();
    }

    void updateEndpoint(UUID agentId, Agent.Phone phone, String sipMd5Cred) {
        db.update(AGENT).set(AGENT.PHONE, phone.dbValue()).set(AGENT.SIP_MD5_CRED, sipMd5Cred)
                .where(AGENT.ID.eq(agentId)).execute();
    }

    void updateTeam(UUID agentId, UUID teamId) {
        db.update(AGENT).set(AGENT.TEAM_ID, teamId).where(AGENT.ID.eq(agentId)).execute();
    }

    void updateChosenState(UUID agentId, String state) {
        db.update(AGENT).set(AGENT.CHOSEN_STATE, state).where(AGENT.ID.eq(agentId)).execute();
    }

    Optional<String> chosenState(UUID agentId) {
        return db.select(AGENT.CHOSEN_STATE).from(AGENT).where(AGENT.ID.eq(agentId)).fetchOptional(AGENT.CHOSEN_STATE);
    }

    void logState(UUID agentId, String state, Instant at, UUID callId, String reason) {
        db.insertInto(AGENT_STATE_EVENT)
                .set(AGENT_STATE_EVENT.AGENT_ID, agentId)
                .set(AGENT_STATE_EVENT.STATE, state)
                .set(AGENT_STATE_EVENT.OCCURRED_AT, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .set(AGENT_STATE_EVENT.CALL_ID, callId)
                .set(AGENT_STATE_EVENT.REASON, reason)
                .execute();
    }

    List<Agent> findAll() {
        return db.selectFrom(AGENT).orderBy(AGENT.EXTENSION).fetch(AgentRepository::toAgent);
    }

    void markCallEnded(UUID agentId, Instant endedAt) {
        db.update(AGENT).set(AGENT.LAST_CALL_ENDED_AT, OffsetDateTime.ofInstant(endedAt, ZoneOffset.UTC))
                .where(AGENT.ID.eq(agentId)).execute();
    }

    private static Agent toAgent(Record row) {
        return new Agent(row.get(AGENT.ID), row.get(AGENT.EXTENSION), row.get(AGENT.DISPLAY_NAME), row.get(AGENT.TEAM_ID),
                Agent.Phone.fromDb(row.get(AGENT.PHONE)));
    }

    /** What Asterisk needs to authenticate the agent's phone: the digest hash, never the password. */
    record SipEndpoint(Agent agent, String md5Cred) {
    }
}
