package io.callcenter.report;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The reports' reads. Buckets are cut on the viewer's wall clock ({@code at time zone}, then {@code date_bin}), so a
 * day is a local day across a daylight-saving change. Every query is bounded by team and time on an index:
 * {@code call_team_created}, {@code queue_event_queue_time}, {@code agent_state_event_agent}, {@code dial_attempt_campaign}.
 */
@Repository
class ReportRepository {

    private final DSLContext db;

    ReportRepository(DSLContext db) {
        this.db = db;
    }

    record Queue(UUID id, String name, int serviceLevelSeconds) {
    }

    record Agent(UUID id, String extension, String name) {
    }

    record Campaign(UUID id, String name) {
    }

    /** The team's first queue (where its numbers go by default); a team may have several since V44. */
    Optional<Queue> queueOfTeam(UUID teamId) {
        return db.fetchOptional("""
                select id, name, service_level_seconds from call_queue where team_id = {0} and deleted_at is null
                order by created_at, id limit 1""", teamId)
                .map(r -> new Queue(r.get(0, UUID.class), r.get(1, String.class), r.get(2, Integer.class)));
    }

    /** Inbound calls of the team by the local interval they began in. */
    Map<LocalDateTime, Figures.Counts> teamIntervals(UUID teamId, ReportRange range, ReportRange.Interval interval,
                                                     int serviceLevelSeconds) {
        return buckets(db.fetch("""
                select date_bin(cast({0} as interval), created_at at time zone {1}, timestamp '2000-01-01'),
                       count(*),
                       count(*) filter (where answered_at is not null),
                       count(*) filter (where answered_at is null and ended_at is not null
                                        and ended_at - created_at >= make_interval(secs => {2})),
                       count(*) filter (where answered_at is null and ended_at is not null
                                        and ended_at - created_at < make_interval(secs => {2})),
                       count(*) filter (where answered_at - created_at <= make_interval(secs => {3})),
                       coalesce(sum(extract(epoch from answered_at - created_at)), 0),
                       coalesce(sum(duration_seconds), 0),
                       count(duration_seconds),
                       max(extract(epoch from coalesce(answered_at, ended_at) - created_at))
                from call
                where team_id = {4} and direction = 'inbound' and created_at >= {5} and created_at < {6}
                group by 1""", interval.sql, range.zone().getId(), Figures.SHORT_ABANDON_SECONDS, serviceLevelSeconds,
                teamId, utc(range.start()), utc(range.end())));
    }

    /**
     * The queue's callers by the local interval they joined in, from its event log alone: the wait at answer or
     * abandon is logged with the event ({@code wait_ms}). Events up to two hours (the longest max wait) after the
     * range still count for callers who joined inside it.
     */
    Map<LocalDateTime, Figures.Counts> queueIntervals(UUID queueId, ReportRange range, ReportRange.Interval interval,
                                                      int serviceLevelSeconds) {
        return buckets(db.fetch("""
                with caller as (
                    select call_id,
                           min(occurred_at) filter (where event = 'joined') as joined_at,
                           max(wait_ms) filter (where event = 'answered') as answered_wait,
                           max(wait_ms) filter (where event = 'abandoned') as abandoned_wait,
                           max(wait_ms) filter (where event in ('answered', 'abandoned', 'timed_out', 'overflowed')) as longest
                    from queue_event
                    where queue_id = {0} and occurred_at >= {1} and occurred_at < {2}::timestamptz + interval '2 hours'
                    group by call_id)
                select date_bin(cast({3} as interval), q.joined_at at time zone {4}, timestamp '2000-01-01'),
                       count(*),
                       count(answered_wait),
                       count(*) filter (where abandoned_wait >= {5} * 1000),
                       count(*) filter (where abandoned_wait < {5} * 1000),
                       count(*) filter (where answered_wait <= {6} * 1000),
                       coalesce(sum(answered_wait), 0) / 1000.0,
                       coalesce(sum(c.duration_seconds) filter (where answered_wait is not null), 0),
                       count(c.duration_seconds) filter (where answered_wait is not null),
                       max(longest) / 1000.0
                from caller q left join call c on c.id = q.call_id
                where q.joined_at >= {1} and q.joined_at < {2}
                group by 1""", queueId, utc(range.start()), utc(range.end()), interval.sql, range.zone().getId(),
                Figures.SHORT_ABANDON_SECONDS, serviceLevelSeconds));
    }

    List<Agent> agents(UUID teamId) {
        return db.fetch("select id, extension, display_name from agent where team_id = {0} order by extension", teamId)
                .map(r -> new Agent(r.get(0, UUID.class), r.get(1, String.class), r.get(2, String.class)));
    }

    /**
     * Seconds each agent of the team spent in each state inside the range: every state change from the last one
     * before the range, each lasting until the next (the last until the range's end or now), clipped to the range.
     */
    Map<UUID, Map<String, Double>> secondsByState(UUID teamId, ReportRange range, Instant now) {
        Map<UUID, Map<String, Double>> result = new HashMap<>();
        db.fetch("""
                select a.id, s.state,
                       sum(extract(epoch from least(coalesce(s.next_at, {2}), {1}) - greatest(s.occurred_at, {0})))
                from agent a
                join lateral (
                    select e.state, e.occurred_at, lead(e.occurred_at) over (order by e.occurred_at, e.id) as next_at
                    from agent_state_event e
                    where e.agent_id = a.id and e.occurred_at < {1}
                      and e.occurred_at >= coalesce((select max(p.occurred_at) from agent_state_event p
                                                     where p.agent_id = a.id and p.occurred_at <= {0}), {0})
                ) s on true
                where a.team_id = {3}
                  and least(coalesce(s.next_at, {2}), {1}) > greatest(s.occurred_at, {0})
                group by a.id, s.state""", utc(range.start()), utc(range.end()), utc(now), teamId)
                .forEach(r -> result.computeIfAbsent(r.get(0, UUID.class), id -> new TreeMap<>())
                        .put(r.get(1, String.class), number(r, 2)));
        return result;
    }

    record AgentCalls(long calls, double talkSeconds, long handled) {
    }

    Map<UUID, AgentCalls> agentCalls(UUID teamId, ReportRange range) {
        Map<UUID, AgentCalls> result = new HashMap<>();
        db.fetch("""
                select agent_id, count(*), coalesce(sum(duration_seconds), 0), count(duration_seconds)
                from call
                where team_id = {0} and created_at >= {1} and created_at < {2}
                  and agent_id is not null and answered_at is not null
                group by agent_id""", teamId, utc(range.start()), utc(range.end()))
                .forEach(r -> result.put(r.get(0, UUID.class),
                        new AgentCalls(r.get(1, Long.class), number(r, 2), r.get(3, Long.class))));
        return result;
    }

    Map<UUID, Map<String, Long>> agentDispositions(UUID teamId, ReportRange range) {
        Map<UUID, Map<String, Long>> result = new HashMap<>();
        db.fetch("""
                select agent_id, disposition, count(*)
                from call
                where team_id = {0} and created_at >= {1} and created_at < {2}
                  and agent_id is not null and disposition is not null
                group by agent_id, disposition""", teamId, utc(range.start()), utc(range.end()))
                .forEach(r -> result.computeIfAbsent(r.get(0, UUID.class), id -> new TreeMap<>())
                        .put(r.get(1, String.class), r.get(2, Long.class)));
        return result;
    }

    record CampaignCounts(UUID id, String name, long dials, long humans, long machines, long abandons, long connects) {
    }

    /** Every campaign of the team with its attempts begun in [start, end). */
    List<CampaignCounts> campaignCounts(UUID teamId, Instant start, Instant end) {
        List<CampaignCounts> result = new ArrayList<>();
        db.fetch("""
                select c.id, c.name, count(a.id),
                       count(a.id) filter (where a.tsr_live),
                       count(a.id) filter (where a.outcome = 'VOICEMAIL'),
                       count(a.id) filter (where a.tsr_abandoned),
                       count(a.id) filter (where a.connected_at is not null)
                from campaign c
                left join dial_attempt a on a.campaign_id = c.id and a.created_at >= {1} and a.created_at < {2}
                where c.team_id = {0}
                group by c.id, c.name, c.created_at
                order by c.created_at, c.id""", teamId, utc(start), utc(end))
                .forEach(r -> result.add(new CampaignCounts(r.get(0, UUID.class), r.get(1, String.class),
                        r.get(2, Long.class), r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class),
                        r.get(6, Long.class))));
        return result;
    }

    private static Map<LocalDateTime, Figures.Counts> buckets(org.jooq.Result<Record> rows) {
        Map<LocalDateTime, Figures.Counts> result = new TreeMap<>();
        for (Record r : rows) {
            result.put(r.get(0, LocalDateTime.class), new Figures.Counts(r.get(1, Long.class), r.get(2, Long.class),
                    r.get(3, Long.class), r.get(4, Long.class), r.get(5, Long.class), number(r, 6), number(r, 7),
                    r.get(8, Long.class), r.get(9) == null ? null : number(r, 9)));
        }
        return result;
    }

    private static double number(Record r, int index) {
        BigDecimal value = r.get(index, BigDecimal.class);
        return value == null ? 0 : value.doubleValue();
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
