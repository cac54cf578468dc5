package io.callcenter.dialer;

import io.callcenter.db.tables.records.DialAttemptRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.DIAL_ATTEMPT;
import static io.callcenter.db.Tables.DIAL_ATTEMPT_EVENT;
import static io.callcenter.dialer.CampaignRepository.utc;
import static io.callcenter.dialer.LeadRepository.instant;

@Repository
class AttemptRepository {

    record Event(Instant at, String from, String to, String event, String detail) {
    }

    record Stats(long dials, long answers, long humans, long machines, long abandons, long connected,
                 Double avgSecondsToConnect) {
    }

    private final DSLContext db;

    AttemptRepository(DSLContext db) {
        this.db = db;
    }

    void insert(Attempt a) {
        DialAttemptRecord row = db.newRecord(DIAL_ATTEMPT);
        row.setId(a.id());
        row.setCampaignId(a.campaignId());
        row.setLeadId(a.leadId());
        row.setE164(a.e164());
        row.setCreatedAt(utc(a.createdAt()));
        fill(row, a);
        row.insert();
    }

    void save(Attempt a) {
        DialAttemptRecord row = db.fetchSingle(DIAL_ATTEMPT, DIAL_ATTEMPT.ID.eq(a.id()));
        fill(row, a);
        row.update();
    }

    private static void fill(DialAttemptRecord row, Attempt a) {
        row.setState(a.state().name());
        row.setOutcome(a.outcome() == null ? null : a.outcome().name());
        row.setDetail(a.detail());
        row.setCallControlId(a.callControlId());
        row.setAmdResult(a.amdResult());
        row.setAgentId(a.agentId());
        row.setCallId(a.callId());
        row.setAnsweredAt(utc(a.answeredAt()));
        row.setHumanAt(utc(a.humanAt()));
        row.setConnectedAt(utc(a.connectedAt()));
        row.setEndedAt(utc(a.endedAt()));
        row.setClaimedAt(utc(a.claimedAt()));
        row.setMessageFailures(a.messageFailures());
    }

    /** Removes an attempt the carrier never placed (refused for an account fault, rate-limited): it is no dial. */
    void discard(UUID id) {
        db.deleteFrom(DIAL_ATTEMPT_EVENT).where(DIAL_ATTEMPT_EVENT.ATTEMPT_ID.eq(id)).execute();
        db.deleteFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.ID.eq(id)).execute();
    }

    void log(UUID attemptId, List<AttemptMachine.Transition> transitions) {
        for (AttemptMachine.Transition t : transitions) {
            db.insertInto(DIAL_ATTEMPT_EVENT)
                    .set(DIAL_ATTEMPT_EVENT.ATTEMPT_ID, attemptId)
                    .set(DIAL_ATTEMPT_EVENT.OCCURRED_AT, utc(t.at()))
                    .set(DIAL_ATTEMPT_EVENT.FROM_STATE, t.from() == null ? null : t.from().name())
                    .set(DIAL_ATTEMPT_EVENT.TO_STATE, t.to().name())
                    .set(DIAL_ATTEMPT_EVENT.EVENT, t.event())
                    .set(DIAL_ATTEMPT_EVENT.DETAIL, t.detail())
                    .execute();
        }
    }

    Optional<Attempt> find(UUID id) {
        return db.selectFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.ID.eq(id)).fetchOptional(AttemptRepository::toAttempt);
    }

    List<Attempt> open(UUID campaignId) {
        return db.selectFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.CAMPAIGN_ID.eq(campaignId)).and(DIAL_ATTEMPT.ENDED_AT.isNull())
                .fetch(AttemptRepository::toAttempt);
    }

    List<Attempt> allOpen() {
        return db.selectFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.ENDED_AT.isNull()).fetch(AttemptRepository::toAttempt);
    }

    List<Attempt> byLead(UUID leadId) {
        return db.selectFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.LEAD_ID.eq(leadId)).orderBy(DIAL_ATTEMPT.CREATED_AT)
                .fetch(AttemptRepository::toAttempt);
    }

    List<Event> events(UUID attemptId) {
        return db.selectFrom(DIAL_ATTEMPT_EVENT).where(DIAL_ATTEMPT_EVENT.ATTEMPT_ID.eq(attemptId))
                .orderBy(DIAL_ATTEMPT_EVENT.ID)
                .fetch(r -> new Event(r.getOccurredAt().toInstant(), r.getFromState(), r.getToState(), r.getEvent(), r.getDetail()));
    }

    /** Humans and abandons in the window: what adaptive pacing and the 3% rule measure. */
    long[] humansAndAbandons(UUID campaignId, Instant since) {
        var humans = DSL.count().filterWhere(DIAL_ATTEMPT.HUMAN_AT.isNotNull());
        var abandons = DSL.count().filterWhere(DIAL_ATTEMPT.OUTCOME.eq(Outcome.ABANDONED.name())
                .and(DIAL_ATTEMPT.HUMAN_AT.isNotNull()));
        var row = db.select(humans, abandons).from(DIAL_ATTEMPT)
                .where(DIAL_ATTEMPT.CAMPAIGN_ID.eq(campaignId)).and(DIAL_ATTEMPT.CREATED_AT.ge(utc(since))).fetchSingle();
        return new long[]{row.value1(), row.value2()};
    }

    Stats stats(UUID campaignId, Instant since) {
        var d = DIAL_ATTEMPT;
        var row = db.select(DSL.count(),
                        DSL.count().filterWhere(d.ANSWERED_AT.isNotNull()),
                        DSL.count().filterWhere(d.HUMAN_AT.isNotNull()),
                        DSL.count().filterWhere(d.OUTCOME.eq(Outcome.VOICEMAIL.name())),
                        DSL.count().filterWhere(d.OUTCOME.eq(Outcome.ABANDONED.name()).and(d.HUMAN_AT.isNotNull())),
                        DSL.count().filterWhere(d.CONNECTED_AT.isNotNull()),
                        DSL.avg(DSL.field("extract(epoch from ({0} - {1}))", Double.class, d.CONNECTED_AT, d.HUMAN_AT)))
                .from(d).where(d.CAMPAIGN_ID.eq(campaignId)).and(d.CREATED_AT.ge(utc(since))).fetchSingle();
        return new Stats(row.value1(), row.value2(), row.value3(), row.value4(), row.value5(), row.value6(),
                row.value7() == null ? null : row.value7().doubleValue());
    }

    private static Attempt toAttempt(DialAttemptRecord r) {
        return new Attempt(r.getId(), r.getCampaignId(), r.getLeadId(), r.getE164(), AttemptState.valueOf(r.getState()),
                r.getOutcome() == null ? null : Outcome.valueOf(r.getOutcome()), r.getDetail(), r.getCallControlId(),
                r.getAmdResult(), r.getAgentId(), r.getCallId(), instant(r.getCreatedAt()), instant(r.getAnsweredAt()),
                instant(r.getHumanAt()), instant(r.getConnectedAt()), instant(r.getEndedAt()), instant(r.getClaimedAt()),
                r.getMessageFailures());
    }
}
