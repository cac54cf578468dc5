package io.callcenter.dialer;

import io.callcenter.agent.AgentPresence;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.callcenter.db.Tables.AGENT;
import static io.callcenter.db.Tables.AGENT_STATE_EVENT;
import static io.callcenter.db.Tables.DIAL_ATTEMPT;
import static io.callcenter.db.Tables.DIAL_ATTEMPT_EVENT;
import static io.callcenter.dialer.CampaignRepository.utc;

/**
 * Predictive pacing's past, read from the attempts' record and the agents' state log. Both reads are bounded by an
 * index: the campaign's newest attempts walk {@code dial_attempt_campaign (campaign_id, created_at)} backwards, each
 * attempt's verdict one probe of {@code dial_attempt_event_attempt (attempt_id, id)}; each agent's newest changes walk
 * {@code agent_state_event_agent (agent_id, occurred_at)} backwards, a few hundred rows an agent at most.
 */
@Repository
class PacingHistoryRepository implements PacingHistory {

    /** States that say nothing yet about whether a dial brings a person: the first other one is its verdict. */
    private static final Set<String> UNDECIDED = Set.of(AttemptState.DIALING.name(), AttemptState.RINGING.name(),
            AttemptState.ANSWERED.name());
    /** The first state of an attempt an agent placed from a preview: no dial of the pacer's. */
    private static final Set<String> AGENT_DIALLED = Set.of(AttemptState.PREVIEWING.name(), AttemptState.PLACED.name());

    private final DSLContext db;

    PacingHistoryRepository(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<PastDial> dials(UUID campaignId, Instant since, int limit) {
        var d = DIAL_ATTEMPT;
        var e = DIAL_ATTEMPT_EVENT;
        var newest = db.select(d.ID, d.CREATED_AT, d.HUMAN_AT, d.ENDED_AT).from(d)
                .where(d.CAMPAIGN_ID.eq(campaignId)).and(d.CREATED_AT.ge(utc(since))).and(d.ENDED_AT.isNotNull())
                .orderBy(d.CREATED_AT.desc()).limit(limit).asTable("newest");
        var id = newest.field(d.ID);
        var verdict = DSL.lateral(db.select(e.OCCURRED_AT, e.TO_STATE).from(e)
                .where(e.ATTEMPT_ID.eq(id)).and(e.TO_STATE.notIn(UNDECIDED))
                .orderBy(e.ID).limit(1)).asTable("verdict");
        List<PastDial> dials = new ArrayList<>();
        db.select(newest.field(d.CREATED_AT), newest.field(d.HUMAN_AT), newest.field(d.ENDED_AT),
                        verdict.field(e.OCCURRED_AT), verdict.field(e.TO_STATE))
                .from(newest).leftJoin(verdict).on(DSL.trueCondition())
                .orderBy(newest.field(d.CREATED_AT))
                .forEach(r -> {
                    if (r.value5() != null && AGENT_DIALLED.contains(r.value5())) {
                        return;
                    }
                    Instant placed = r.value1().toInstant();
                    Instant person = r.value2() == null ? null : r.value2().toInstant();
                    Instant resolved = person != null ? person
                            : r.value4() != null ? r.value4().toInstant() : r.value3().toInstant();
                    dials.add(new PastDial(placed, resolved, person != null));
                });
        return dials;
    }

    @Override
    public List<HandleTimes.AgentNow> stateChanges(UUID teamId, Instant since, int perAgent) {
        var a = AGENT;
        var s = AGENT_STATE_EVENT;
        var newest = DSL.lateral(db.select(s.STATE, s.OCCURRED_AT, s.ID).from(s)
                .where(s.AGENT_ID.eq(a.ID)).and(s.OCCURRED_AT.ge(utc(since)))
                .orderBy(s.OCCURRED_AT.desc(), s.ID.desc()).limit(perAgent)).asTable("newest");
        record Change(HandleTimes.AgentNow now, long id) {
        }
        List<Change> changes = new ArrayList<>();
        db.select(a.ID, newest.field(s.STATE), newest.field(s.OCCURRED_AT), newest.field(s.ID))
                .from(a).crossJoin(newest).where(a.TEAM_ID.eq(teamId))
                .forEach(r -> changes.add(new Change(new HandleTimes.AgentNow(r.value1(),
                        DirectoryTeamAgents.busy(AgentPresence.State.valueOf(r.value2())), r.value3().toInstant()),
                        r.value4())));
        changes.sort(Comparator.comparing((Change c) -> c.now().since()).thenComparingLong(Change::id));
        return changes.stream().map(Change::now).toList();
    }
}
