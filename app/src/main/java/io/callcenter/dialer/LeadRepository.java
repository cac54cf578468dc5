package io.callcenter.dialer;

import io.callcenter.db.tables.records.LeadRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.callcenter.db.Tables.LEAD;
import static io.callcenter.db.Tables.LEAD_CALLBACK;
import static io.callcenter.db.Tables.LEAD_RECYCLE_EVENT;
import static io.callcenter.dialer.CampaignRepository.utc;

@Repository
class LeadRepository {

    private final DSLContext db;

    LeadRepository(DSLContext db) {
        this.db = db;
    }

    record Imported(int created, int mergedWithExisting) {
    }

    /** New numbers become leads; a number the campaign already has keeps its lead and history, gaining missing facts. */
    Imported importRows(UUID campaignId, List<LeadCsv.Row> rows, Instant now) {
        Set<String> existing = new HashSet<>(db.select(LEAD.E164).from(LEAD)
                .where(LEAD.CAMPAIGN_ID.eq(campaignId)).and(LEAD.E164.in(rows.stream().map(LeadCsv.Row::e164).toList()))
                .fetch(LEAD.E164));
        int created = 0;
        for (LeadCsv.Row row : rows) {
            if (existing.contains(row.e164())) {
                db.update(LEAD)
                        .set(LEAD.NAME, org.jooq.impl.DSL.coalesce(LEAD.NAME, org.jooq.impl.DSL.val(row.name())))
                        .set(LEAD.EXTERNAL_ID, org.jooq.impl.DSL.coalesce(LEAD.EXTERNAL_ID, org.jooq.impl.DSL.val(row.externalId())))
                        .set(LEAD.TIME_ZONE, org.jooq.impl.DSL.coalesce(org.jooq.impl.DSL.val(row.timeZone()), LEAD.TIME_ZONE))
                        .set(LEAD.FIELDS, org.jooq.impl.DSL.coalesce(LEAD.FIELDS, org.jooq.impl.DSL.val(fields(row))))
                        .where(LEAD.CAMPAIGN_ID.eq(campaignId)).and(LEAD.E164.eq(row.e164()))
                        .execute();
                continue;
            }
            created += db.insertInto(LEAD)
                    .set(LEAD.ID, UUID.randomUUID())
                    .set(LEAD.CAMPAIGN_ID, campaignId)
                    .set(LEAD.E164, row.e164())
                    .set(LEAD.NAME, row.name())
                    .set(LEAD.EXTERNAL_ID, row.externalId())
                    .set(LEAD.TIME_ZONE, row.timeZone())
                    .set(LEAD.FIELDS, fields(row))
                    .set(LEAD.CREATED_AT, utc(now))
                    .onConflictDoNothing()
                    .execute();
        }
        return new Imported(created, rows.size() - created);
    }

    /**
     * Leads whose turn it is, highest priority first (a campaign's callbacks, then a manager's priority), then oldest
     * due; the caller still checks do-not-call and calling hours.
     */
    List<Lead> due(UUID campaignId, Instant now, int limit) {
        return db.selectFrom(LEAD)
                .where(LEAD.CAMPAIGN_ID.eq(campaignId))
                .and(LEAD.STATUS.in("NEW", "RETRY"))
                .and(LEAD.NEXT_ATTEMPT_AT.isNull().or(LEAD.NEXT_ATTEMPT_AT.le(utc(now))))
                .orderBy(LEAD.PRIORITY.desc(), LEAD.NEXT_ATTEMPT_AT.asc().nullsFirst(), LEAD.CREATED_AT, LEAD.ID)
                .limit(limit)
                .fetch(LeadRepository::toLead);
    }

    /** Claims the lead for an attempt; false if someone else did (it is no longer due). */
    boolean markDialing(UUID leadId, Instant at) {
        // A campaign's callback is kept once its lead is dialled: the priority it gave goes with it.
        db.update(LEAD_CALLBACK).set(LEAD_CALLBACK.STATUS, "DONE").set(LEAD_CALLBACK.DONE_AT, utc(at))
                .where(LEAD_CALLBACK.LEAD_ID.eq(leadId)).and(LEAD_CALLBACK.OWNER_AGENT_ID.isNull())
                .and(LEAD_CALLBACK.STATUS.eq("PENDING")).and(LEAD_CALLBACK.DUE_AT.le(utc(at))).execute();
        return db.update(LEAD)
                .set(LEAD.PRIORITY, DSL.least(LEAD.PRIORITY, DSL.val(CallbackRepository.CALLBACK_PRIORITY - 1)))
                .set(LEAD.STATUS, "DIALING")
                .set(LEAD.ATTEMPTS, LEAD.ATTEMPTS.plus(1))
                .set(LEAD.LAST_ATTEMPT_AT, utc(at))
                .where(LEAD.ID.eq(leadId)).and(LEAD.STATUS.in("NEW", "RETRY"))
                .execute() == 1;
    }

    /** Puts a lead back as it was before {@link #markDialing}: the dial never reached the carrier. */
    void restore(Lead before) {
        db.update(LEAD)
                .set(LEAD.STATUS, before.status())
                .set(LEAD.ATTEMPTS, before.attempts())
                .set(LEAD.LAST_ATTEMPT_AT, utc(before.lastAttemptAt()))
                .set(LEAD.NEXT_ATTEMPT_AT, utc(before.nextAttemptAt()))
                .where(LEAD.ID.eq(before.id())).and(LEAD.STATUS.eq("DIALING"))
                .execute();
    }

    /**
     * The attempt's outcome decides the lead's next turn, unless the lead has an open scheduled callback: the agent's
     * promise, set in wrap-up before or after the carrier's hangup reached us, keeps the lead where it put it.
     */
    void finish(UUID leadId, Outcome outcome, Instant nextAttemptAt) {
        finish(leadId, outcome, nextAttemptAt, null);
    }

    /** The same, with why the dialer closes the lead by itself ({@link RetryRules#closedReason}), or null. */
    void finish(UUID leadId, Outcome outcome, Instant nextAttemptAt, String closedReason) {
        var openCallback = DSL.exists(DSL.selectOne().from(LEAD_CALLBACK).where(LEAD_CALLBACK.LEAD_ID.eq(leadId))
                .and(LEAD_CALLBACK.STATUS.in("PENDING", "OFFERED")));
        int changed = db.update(LEAD)
                .set(LEAD.STATUS, nextAttemptAt == null ? "DONE" : "RETRY")
                .set(LEAD.LAST_OUTCOME, outcome == null ? null : outcome.name())
                .set(LEAD.NEXT_ATTEMPT_AT, utc(nextAttemptAt))
                .set(LEAD.CLOSED_REASON, nextAttemptAt == null ? closedReason : null)
                .where(LEAD.ID.eq(leadId)).and(DSL.not(openCallback))
                .execute();
        if (changed == 0) {
            // Out of DIALING all the same: the callback's own status (CALLBACK or RETRY at its time) applies.
            db.update(LEAD).set(LEAD.STATUS, DSL.case_(DSL.field(DSL.exists(DSL.selectOne().from(LEAD_CALLBACK)
                                    .where(LEAD_CALLBACK.LEAD_ID.eq(leadId)).and(LEAD_CALLBACK.STATUS.in("PENDING", "OFFERED"))
                                    .and(LEAD_CALLBACK.OWNER_AGENT_ID.isNotNull()))))
                            .when(true, "CALLBACK").otherwise("RETRY"))
                    .set(LEAD.NEXT_ATTEMPT_AT, DSL.field(DSL.select(DSL.max(LEAD_CALLBACK.DUE_AT)).from(LEAD_CALLBACK)
                            .where(LEAD_CALLBACK.LEAD_ID.eq(leadId)).and(LEAD_CALLBACK.STATUS.in("PENDING", "OFFERED"))))
                    .where(LEAD.ID.eq(leadId)).and(LEAD.STATUS.eq("DIALING")).execute();
        }
    }

    /**
     * Closed leads of these statuses join the dial list again at once, their attempt counts kept (a lead over its
     * maximum then gets one more try); the recycling is logged. Returns how many came back.
     */
    int recycle(UUID campaignId, java.util.Collection<Outcome> statuses, UUID by, Instant now) {
        List<String> codes = statuses.stream().map(Outcome::name).sorted().toList();
        int recycled = db.update(LEAD)
                .set(LEAD.STATUS, "RETRY")
                .set(LEAD.NEXT_ATTEMPT_AT, utc(now))
                .set(LEAD.CLOSED_REASON, (String) null)
                .where(LEAD.CAMPAIGN_ID.eq(campaignId)).and(LEAD.STATUS.eq("DONE")).and(LEAD.LAST_OUTCOME.in(codes))
                .execute();
        db.insertInto(LEAD_RECYCLE_EVENT)
                .set(LEAD_RECYCLE_EVENT.CAMPAIGN_ID, campaignId)
                .set(LEAD_RECYCLE_EVENT.STATUSES, codes.toArray(String[]::new))
                .set(LEAD_RECYCLE_EVENT.LEADS, recycled)
                .set(LEAD_RECYCLE_EVENT.RECYCLED_BY, by)
                .set(LEAD_RECYCLE_EVENT.OCCURRED_AT, utc(now))
                .execute();
        return recycled;
    }

    /** Why the dialer closed the lead by itself (its outcome's maximum reached), or null. */
    String closedReason(UUID leadId) {
        return db.select(LEAD.CLOSED_REASON).from(LEAD).where(LEAD.ID.eq(leadId)).fetchOne(LEAD.CLOSED_REASON);
    }

    /**
     * Undoes {@link #markDialing} for a lead that was offered in preview and not dialled (skipped, lapsed): its
     * attempts as before, due again at {@code nextAttemptAt}.
     */
    void returnToList(UUID leadId, Instant nextAttemptAt) {
        db.update(LEAD)
                .set(LEAD.STATUS, DSL.when(LEAD.ATTEMPTS.le(1), "NEW").otherwise("RETRY"))
                .set(LEAD.ATTEMPTS, DSL.greatest(LEAD.ATTEMPTS.minus(1), DSL.val(0)))
                .set(LEAD.NEXT_ATTEMPT_AT, utc(nextAttemptAt))
                .where(LEAD.ID.eq(leadId)).and(LEAD.STATUS.eq("DIALING"))
                .execute();
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private static org.jooq.JSON fields(LeadCsv.Row row) {
        return row.fields().isEmpty() ? null : org.jooq.JSON.valueOf(JSON.writeValueAsString(row.fields()));
    }

    /** The list's other columns for the lead (notes and the like), in the list's order; empty when it had none. */
    Map<String, String> fields(UUID leadId) {
        org.jooq.JSON stored = db.select(LEAD.FIELDS).from(LEAD).where(LEAD.ID.eq(leadId)).fetchOne(LEAD.FIELDS);
        if (stored == null) {
            return Map.of();
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        JSON.readTree(stored.data()).properties().forEach(e -> fields.put(e.getKey(), e.getValue().asString()));
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** Postpones a lead without dialling it (outside its calling hours). */
    void postpone(UUID leadId, Instant until) {
        db.update(LEAD).set(LEAD.NEXT_ATTEMPT_AT, utc(until)).where(LEAD.ID.eq(leadId)).execute();
    }

    Optional<Lead> find(UUID id) {
        return db.selectFrom(LEAD).where(LEAD.ID.eq(id)).fetchOptional(LeadRepository::toLead);
    }

    /** {@code status} null: every lead of the campaign. */
    List<Lead> page(UUID campaignId, String status, int limit, int offset) {
        return db.selectFrom(LEAD).where(LEAD.CAMPAIGN_ID.eq(campaignId))
                .and(status == null ? org.jooq.impl.DSL.noCondition() : LEAD.STATUS.eq(status))
                .orderBy(LEAD.CREATED_AT, LEAD.E164)
                .limit(limit).offset(offset).fetch(LeadRepository::toLead);
    }

    private static Lead toLead(LeadRecord r) {
        return new Lead(r.getId(), r.getCampaignId(), r.getE164(), r.getName(), r.getExternalId(), r.getTimeZone(),
                r.getStatus(), r.getAttempts(), r.getLastOutcome() == null ? null : Outcome.valueOf(r.getLastOutcome()),
                instant(r.getLastAttemptAt()), instant(r.getNextAttemptAt()), instant(r.getCreatedAt()));
    }

    static Instant instant(java.time.OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
