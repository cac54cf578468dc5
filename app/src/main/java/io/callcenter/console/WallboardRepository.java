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
                       created_at, answered_at, recording_failed
                from call where team_id = {0} and ended_at is null
                order by created_at""", teamId)
                .map(r -> new Wallboard.LiveCall(r.get(0, UUID.class), r.get(1, UUID.class), r.get(2, String.class),
                        r.get(3, String.class), r.get(4, String.class), instant(r, 5), instant(r, 6),
                        Boolean.TRUE.equals(r.get(7, Boolean.class))));
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

    /**
     * The team's queues with today's figures over the callers who joined since {@code since}, from the queue log
     * alone (index {@code queue_event_queue_time}); the wait at answer or abandon is the logged {@code wait_ms}.
     */
    List<QueueTile.Day> queueDays(UUID teamId, Instant since) {
        return db.fetch("""
                with caller as (
                    select e.queue_id, e.call_id,
                           bool_or(e.event = 'joined') as joined,
                           max(e.wait_ms) filter (where e.event = 'answered') as answered_wait,
                           max(e.wait_ms) filter (where e.event = 'abandoned') as abandoned_wait
                    from queue_event e join call_queue q on q.id = e.queue_id
                    where q.team_id = {0} and e.occurred_at >= {1}
                    group by e.queue_id, e.call_id)
                select q.id, q.name, q.service_level_seconds,
                       count(c.call_id),
                       count(c.answered_wait),
                       count(*) filter (where c.answered_wait <= q.service_level_seconds * 1000),
                       count(*) filter (where c.abandoned_wait >= {2}),
                       count(*) filter (where c.abandoned_wait < {2}),
                       coalesce(sum(c.answered_wait), 0)
                from call_queue q left join caller c on c.queue_id = q.id and c.joined
                where q.team_id = {0} and q.deleted_at is null
                group by q.id, q.name, q.service_level_seconds, q.created_at
                order by q.created_at, q.id""", teamId, utc(since), QueueTile.SHORT_ABANDON_MS)
                .map(r -> new QueueTile.Day(r.get(0, UUID.class), r.get(1, String.class), r.get(2, Integer.class),
                        r.get(3, Integer.class), r.get(4, Integer.class), r.get(5, Integer.class),
                        r.get(6, Integer.class), r.get(7, Integer.class), r.get(8, Long.class)));
    }

    /**
     * The callers in the team's queues now: their last join not yet followed by an answer, abandon, overflow or loss.
     * No caller waits longer than the queue's max wait, so only that much of the log (and a margin) is read, midnight
     * or not.
     */
    Map<UUID, QueueTile.Waiting> queueWaiting(UUID teamId, Instant now) {
        Map<UUID, QueueTile.Waiting> waiting = new HashMap<>();
        db.fetch("""
                with caller as (
                    select e.queue_id, e.call_id,
                           max(e.id) filter (where e.event = 'joined') as joined_id,
                           max(e.occurred_at) filter (where e.event = 'joined') as joined_at,
                           max(e.id) filter (where e.event in ('answered', 'abandoned', 'overflowed', 'lost', 'callback_requested')) as left_id
                    from queue_event e join call_queue q on q.id = e.queue_id
                    where q.team_id = {0}
                      and e.occurred_at >= {1}::timestamptz - make_interval(secs => q.max_wait_seconds + 300)
                    group by e.queue_id, e.call_id)
                select queue_id, count(*), min(joined_at)
                from caller where joined_id is not null and (left_id is null or left_id < joined_id)
                group by queue_id""", teamId, utc(now))
                .forEach(r -> waiting.put(r.get(0, UUID.class),
                        new QueueTile.Waiting(r.get(1, Integer.class), instant(r, 2))));
        return waiting;
    }

    /** The team a queue belongs to (a queue never changes team). */
    java.util.Optional<UUID> teamOfQueue(UUID queueId) {
        return db.fetchOptional("select team_id from call_queue where id = {0}", queueId).map(r -> r.get(0, UUID.class));
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
