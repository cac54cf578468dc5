package io.callcenter.dialer;

import io.callcenter.db.tables.records.DialAttemptRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    /** One UPDATE, no read first (a round trip per transition on the dialer's lane); a missing row fails loudly. */
    void save(Attempt a) {
        checkStored(a.id(), update(a).execute());
    }

    private org.jooq.Query update(Attempt a) {
        DialAttemptRecord row = new DialAttemptRecord();
        fill(row, a);
        return db.update(DIAL_ATTEMPT).set(row).where(DIAL_ATTEMPT.ID.eq(a.id()));
    }

    private static void checkStored(UUID id, int updated) {
        if (updated != 1 && updated != java.sql.Statement.SUCCESS_NO_INFO) {
            throw new org.springframework.dao.EmptyResultDataAccessException("attempt " + id + " is not stored", 1);
        }
    }

    /** A step's writes: the attempt as it now is (null: unchanged) and its transitions, in order. */
    record Write(UUID attemptId, Attempt changed, List<AttemptMachine.Transition> transitions) {
    }

    /**
     * The writes of a batch's steps sent in one round trip, in order (each step's UPDATE, then its transitions'
     * INSERT): a statement each was two round trips per step on the dialer's lane (BENCHMARKS.md, "the dialer's
     * attempts in memory"). A missing row fails loudly, as in {@link #save}.
     */
    void writeAll(List<Write> writes) {
        List<org.jooq.Query> queries = new java.util.ArrayList<>();
        Map<Integer, UUID> updates = new java.util.HashMap<>();
        for (Write w : writes) {
            if (w.changed() != null) {
                updates.put(queries.size(), w.attemptId());
                queries.add(update(w.changed()));
            }
            if (!w.transitions().isEmpty()) {
                queries.add(insertLog(w.attemptId(), w.transitions()));
            }
        }
        if (queries.isEmpty()) {
            return;
        }
        int[] counts = queries.size() == 1 ? new int[]{queries.getFirst().execute()} : db.batch(queries).execute();
        updates.forEach((index, id) -> checkStored(id, counts[index]));
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
        row.setGreetingSilenceMillis(a.tsr().greetingSilenceMillis());
        row.setGreetingEndedAt(utc(a.tsr().greetingEndedAt()));
        row.setDetectionError(a.tsr().detectionError());
        AbandonRule.Verdict verdict = AbandonRule.of(a);
        row.setTsrLive(verdict.live());
        row.setTsrAbandoned(verdict.abandoned());
        row.setTsrDeadline(utc(verdict.deadline()));
        row.setTsrReason(verdict.reason());
    }

    /** Removes an attempt the carrier never placed (refused for an account fault, rate-limited): it is no dial. */
    void discard(UUID id) {
        db.deleteFrom(DIAL_ATTEMPT_EVENT).where(DIAL_ATTEMPT_EVENT.ATTEMPT_ID.eq(id)).execute();
        db.deleteFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.ID.eq(id)).execute();
    }

    /** The step's transitions in one statement, in order (the id's sequence follows the VALUES rows). */
    void log(UUID attemptId, List<AttemptMachine.Transition> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        insertLog(attemptId, transitions).execute();
    }

    private org.jooq.Query insertLog(UUID attemptId, List<AttemptMachine.Transition> transitions) {
        var e = DIAL_ATTEMPT_EVENT;
        var insert = db.insertInto(e, e.ATTEMPT_ID, e.OCCURRED_AT, e.FROM_STATE, e.TO_STATE, e.EVENT, e.DETAIL);
        for (AttemptMachine.Transition t : transitions) {
            insert = insert.values(attemptId, utc(t.at()), t.from() == null ? null : t.from().name(), t.to().name(),
                    t.event(), t.detail());
        }
        return insert;
    }

    Optional<Attempt> find(UUID id) {
        return db.selectFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.ID.eq(id)).fetchOptional(AttemptRepository::toAttempt);
    }

    /** Many attempts in one read (a batch of webhooks); those not stored are left out. */
    List<Attempt> findAll(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.selectFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.ID.in(ids)).fetch(AttemptRepository::toAttempt);
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

    /** Calls answered by a person and abandoned, by the rule, answered since each start: what every mode's guard steers on. */
    PacingController.Counts abandonCounts(UUID campaignId, Instant periodStart, Instant rollingStart) {
        var d = DIAL_ATTEMPT;
        Instant since = periodStart.isBefore(rollingStart) ? periodStart : rollingStart;
        var inPeriod = d.ANSWERED_AT.ge(utc(periodStart));
        var inRolling = d.ANSWERED_AT.ge(utc(rollingStart));
        var row = db.select(DSL.count().filterWhere(inPeriod), DSL.count().filterWhere(inPeriod.and(d.TSR_ABANDONED)),
                        DSL.count().filterWhere(inRolling), DSL.count().filterWhere(inRolling.and(d.TSR_ABANDONED)))
                .from(d).where(d.CAMPAIGN_ID.eq(campaignId)).and(d.TSR_LIVE).and(d.ANSWERED_AT.ge(utc(since))).fetchSingle();
        return new PacingController.Counts(row.value1(), row.value2(), row.value3(), row.value4());
    }

    /** Live answers and abandons per 30-day period since the anchor: index 0 is period 1. */
    Map<Integer, long[]> perPeriod(UUID campaignId, Instant anchor) {
        var d = DIAL_ATTEMPT;
        var period = DSL.field("floor(extract(epoch from ({0} - {1})) / {2})::int", Integer.class,
                // Inlined: PostgreSQL matches the GROUP BY expression to the selected one only without bind values.
                d.ANSWERED_AT, DSL.inline(utc(anchor)), DSL.inline(CompliancePeriods.LENGTH.toSeconds()));
        Map<Integer, long[]> counts = new java.util.TreeMap<>();
        db.select(period, DSL.count(), DSL.count().filterWhere(d.TSR_ABANDONED)).from(d)
                .where(d.CAMPAIGN_ID.eq(campaignId)).and(d.TSR_LIVE).groupBy(period)
                .forEach(r -> counts.put(Math.max(0, r.value1()), new long[]{r.value2(), r.value3()}));
        return counts;
    }

    /** Whether any campaign has an open attempt on this number. */
    boolean numberBusy(String e164) {
        return db.fetchExists(DIAL_ATTEMPT, DIAL_ATTEMPT.E164.eq(e164).and(DIAL_ATTEMPT.ENDED_AT.isNull()));
    }

    /** Every call answered by a person in [from, to), by the rule, oldest first: the period report's rows. */
    List<Attempt> live(UUID campaignId, Instant from, Instant to) {
        return db.selectFrom(DIAL_ATTEMPT).where(DIAL_ATTEMPT.CAMPAIGN_ID.eq(campaignId)).and(DIAL_ATTEMPT.TSR_LIVE)
                .and(DIAL_ATTEMPT.ANSWERED_AT.ge(utc(from))).and(DIAL_ATTEMPT.ANSWERED_AT.lt(utc(to)))
                .orderBy(DIAL_ATTEMPT.ANSWERED_AT, DIAL_ATTEMPT.ID).fetch(AttemptRepository::toAttempt);
    }

    /** When each abandoned attempt's person first heard the safe-harbor message (from the transition log). */
    java.util.Map<UUID, Instant> safeHarborStarts(java.util.Collection<UUID> attemptIds) {
        var e = DIAL_ATTEMPT_EVENT;
        return db.select(e.ATTEMPT_ID, DSL.min(e.OCCURRED_AT)).from(e)
                .where(e.ATTEMPT_ID.in(attemptIds)).and(e.TO_STATE.eq(AttemptState.SAFE_HARBOR.name()))
                .groupBy(e.ATTEMPT_ID)
                .fetchMap(r -> r.value1(), r -> r.value2().toInstant());
    }

    Stats stats(UUID campaignId, Instant since) {
        var d = DIAL_ATTEMPT;
        var row = db.select(DSL.count(),
                        DSL.count().filterWhere(d.ANSWERED_AT.isNotNull()),
                        DSL.count().filterWhere(d.TSR_LIVE),
                        DSL.count().filterWhere(d.OUTCOME.eq(Outcome.VOICEMAIL.name())),
                        DSL.count().filterWhere(d.TSR_ABANDONED),
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
                r.getMessageFailures(),
                new Attempt.Tsr(r.getGreetingSilenceMillis(), instant(r.getGreetingEndedAt()), r.getDetectionError()));
    }
}
