package io.callcenter.console;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The wallboard's reads: a team's live calls, its day and its campaigns. Read-only; the call and campaign tables
 * belong to their modules, which keep writing them as they please (these queries only name stable columns).
 */
@Repository
class WallboardRepository {

    private final DSLContext db;

    WallboardRepository(DSLContext db) {
        this.db = db;
    }

    List<Wallboard.LiveCall> liveCalls(UUID teamId) {
        // call_team_live (V40) indexes exactly these rows: the day's ended calls are never scanned for them.
        return db.fetch("""
                select id, agent_id, direction, state,
                       case when direction = 'inbound' then from_number else to_number end as party,
                       created_at, answered_at
                from call where team_id = {0} and ended_at is null
                order by created_at""", teamId)
                .map(r -> new Wallboard.LiveCall(r.get(0, UUID.class), r.get(1, UUID.class), r.get(2, String.class),
                        r.get(3, String.class), r.get(4, String.class), instant(r, 5), instant(r, 6)));
    }

    /** Calls begun since {@code since}: answered, abandoned (inbound, ended, never answered) and average talk time. */
    Wallboard.Day day(UUID teamId, Instant since) {
        Record r = db.fetchOne("""
                select count(*) filter (where answered_at is not null),
                       count(*) filter (where direction = 'inbound' and answered_at is null and ended_at is not null),
                       avg(duration_seconds) filter (where duration_seconds is not null)
                from call where team_id = {0} and created_at >= {1}""", teamId, utc(since));
        return new Wallboard.Day(r.get(0, Integer.class), r.get(1, Integer.class), seconds(r.get(2, BigDecimal.class)));
    }

    Map<UUID, Wallboard.AgentDay> agentDays(UUID teamId, Instant since) {
        Map<UUID, Wallboard.AgentDay> days = new HashMap<>();
        db.fetch("""
                select agent_id, count(*), avg(duration_seconds) filter (where duration_seconds is not null)
                from call where team_id = {0} and created_at >= {1} and answered_at is not null and agent_id is not null
                group by agent_id""", teamId, utc(since))
                .forEach(r -> days.put(r.get(0, UUID.class),
                        new Wallboard.AgentDay(r.get(1, Integer.class), seconds(r.get(2, BigDecimal.class)))));
        return days;
    }

    /**
     * The campaigns of the team with both switches and the ratio the dialler uses now, as {@code Campaign.ratio()}
     * says: the guard's value in {@code adaptive_ratio}, a preset being its ceiling.
     */
    List<Wallboard.CampaignRow> campaigns(UUID teamId) {
        return db.fetch("""
                select id, name, enabled, enabled_reason, paused, paused_reason, dial_mode,
                       case when dial_mode in ('ADAPTIVE', 'PREDICTIVE') then adaptive_ratio
                            else least(dial_mode::numeric, adaptive_ratio) end
                from campaign where team_id = {0} order by created_at, id""", teamId)
                .map(r -> new Wallboard.CampaignRow(r.get(0, UUID.class), r.get(1, String.class),
                        r.get(2, Boolean.class), r.get(3, String.class), r.get(4, Boolean.class),
                        r.get(5, String.class), r.get(6, String.class), r.get(7, BigDecimal.class).doubleValue()));
    }

    private static Instant instant(Record r, int index) {
        OffsetDateTime value = r.get(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Double seconds(BigDecimal average) {
        return average == null ? null : average.doubleValue();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
