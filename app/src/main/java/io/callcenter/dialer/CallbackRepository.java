package io.callcenter.dialer;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.LEAD;
import static io.callcenter.dialer.CampaignRepository.utc;
import static io.callcenter.dialer.LeadRepository.instant;
import static io.callcenter.db.Tables.LEAD_CALLBACK;

/** Scheduled callbacks and what they do to their lead (one open promise per person; a new one replaces it). */
@Repository
class CallbackRepository {

    /** A campaign's callback is dialled before the rest of the list. */
    static final int CALLBACK_PRIORITY = 100;

    private final DSLContext db;

    CallbackRepository(DSLContext db) {
        this.db = db;
    }

    /**
     * @param ownerAgentId null: anyone on the campaign
     * @param status       PENDING, OFFERED, DONE, MISSED or CANCELLED
     */
    record Callback(UUID id, UUID leadId, UUID campaignId, UUID attemptId, Instant dueAt, String zone, UUID ownerAgentId,
                    String status, Instant createdAt) {
    }

    /** Stores the promise and takes the lead out of the list (its agent's) or puts it first at its time (the campaign's). */
    void schedule(Callback c, UUID setBy) {
        db.update(LEAD_CALLBACK).set(LEAD_CALLBACK.STATUS, "CANCELLED").set(LEAD_CALLBACK.DONE_AT, utc(c.createdAt()))
                .where(LEAD_CALLBACK.LEAD_ID.eq(c.leadId())).and(LEAD_CALLBACK.STATUS.in("PENDING", "OFFERED")).execute();
        db.insertInto(LEAD_CALLBACK)
                .set(LEAD_CALLBACK.ID, c.id()).set(LEAD_CALLBACK.LEAD_ID, c.leadId())
                .set(LEAD_CALLBACK.CAMPAIGN_ID, c.campaignId()).set(LEAD_CALLBACK.ATTEMPT_ID, c.attemptId())
                .set(LEAD_CALLBACK.DUE_AT, utc(c.dueAt())).set(LEAD_CALLBACK.ZONE, c.zone())
                .set(LEAD_CALLBACK.OWNER_AGENT_ID, c.ownerAgentId()).set(LEAD_CALLBACK.SET_BY_AGENT_ID, setBy)
                .set(LEAD_CALLBACK.STATUS, "PENDING").set(LEAD_CALLBACK.CREATED_AT, utc(c.createdAt()))
                .execute();
        leadFollows(c.leadId(), c.ownerAgentId() != null, c.dueAt());
    }

    /** An agent's callback they let pass goes to the campaign: first in the list from now. */
    void missed(UUID callbackId, Instant now) {
        db.update(LEAD_CALLBACK).set(LEAD_CALLBACK.STATUS, "MISSED").set(LEAD_CALLBACK.DONE_AT, utc(now))
                .where(LEAD_CALLBACK.ID.eq(callbackId)).execute();
        find(callbackId).ifPresent(c -> leadFollows(c.leadId(), false, now));
    }

    void offered(UUID callbackId) {
        db.update(LEAD_CALLBACK).set(LEAD_CALLBACK.STATUS, "OFFERED")
                .where(LEAD_CALLBACK.ID.eq(callbackId)).and(LEAD_CALLBACK.STATUS.eq("PENDING")).execute();
    }

    /** The agent dials it (preview): done, and the lead is no longer waiting for them. */
    boolean done(UUID callbackId, Instant now) {
        return db.update(LEAD_CALLBACK).set(LEAD_CALLBACK.STATUS, "DONE").set(LEAD_CALLBACK.DONE_AT, utc(now))
                .where(LEAD_CALLBACK.ID.eq(callbackId)).and(LEAD_CALLBACK.STATUS.in("PENDING", "OFFERED"))
                .execute() == 1;
    }

    Optional<Callback> find(UUID id) {
        return db.selectFrom(LEAD_CALLBACK).where(LEAD_CALLBACK.ID.eq(id)).fetchOptional(CallbackRepository::toCallback);
    }

    /** An agent's callbacks: the open ones and the missed ones of the last week, soonest first. */
    List<Callback> ofAgent(UUID agentId, Instant now) {
        return db.selectFrom(LEAD_CALLBACK).where(LEAD_CALLBACK.OWNER_AGENT_ID.eq(agentId))
                .and(LEAD_CALLBACK.STATUS.in("PENDING", "OFFERED")
                        .or(LEAD_CALLBACK.STATUS.eq("MISSED").and(LEAD_CALLBACK.DUE_AT.ge(utc(now.minusSeconds(7 * 86_400))))))
                .orderBy(LEAD_CALLBACK.DUE_AT).limit(200).fetch(CallbackRepository::toCallback);
    }

    /** A campaign's callbacks, soonest first; {@code status} null: all. */
    List<Callback> ofCampaign(UUID campaignId, String status, int limit) {
        var query = db.selectFrom(LEAD_CALLBACK).where(LEAD_CALLBACK.CAMPAIGN_ID.eq(campaignId));
        if (status != null) {
            query = query.and(LEAD_CALLBACK.STATUS.eq(status));
        }
        return query.orderBy(LEAD_CALLBACK.DUE_AT.desc()).limit(limit).fetch(CallbackRepository::toCallback);
    }

    /** Agents' callbacks due by {@code now} that are not settled yet. */
    List<Callback> agentsDue(Instant now) {
        return db.selectFrom(LEAD_CALLBACK).where(LEAD_CALLBACK.OWNER_AGENT_ID.isNotNull())
                .and(LEAD_CALLBACK.STATUS.in("PENDING", "OFFERED")).and(LEAD_CALLBACK.DUE_AT.le(utc(now)))
                .orderBy(LEAD_CALLBACK.DUE_AT).limit(500).fetch(CallbackRepository::toCallback);
    }

    /**
     * The lead follows its callback: waiting for its agent (out of the list), or in the list at the time, first.
     * The attempt's own outcome, applied later, leaves a lead with an open callback alone ({@link LeadRepository#finish}).
     */
    private void leadFollows(UUID leadId, boolean agents, Instant dueAt) {
        db.update(LEAD).set(LEAD.STATUS, agents ? "CALLBACK" : "RETRY").set(LEAD.NEXT_ATTEMPT_AT, utc(dueAt))
                .set(LEAD.PRIORITY, agents ? LEAD.PRIORITY : org.jooq.impl.DSL.greatest(LEAD.PRIORITY,
                        org.jooq.impl.DSL.val(CALLBACK_PRIORITY)))
                .set(LEAD.LAST_OUTCOME, Outcome.CALLBACK.name())
                .where(LEAD.ID.eq(leadId)).and(LEAD.STATUS.ne("DIALING")).execute();
    }

    private static Callback toCallback(io.callcenter.db.tables.records.LeadCallbackRecord r) {
        return new Callback(r.getId(), r.getLeadId(), r.getCampaignId(), r.getAttemptId(), instant(r.getDueAt()),
                r.getZone(), r.getOwnerAgentId(), r.getStatus(), instant(r.getCreatedAt()));
    }
}
