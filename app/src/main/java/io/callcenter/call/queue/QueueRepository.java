package io.callcenter.call.queue;

import io.callcenter.call.QueueLogged;
import io.callcenter.db.tables.records.CallQueueRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static io.callcenter.db.Tables.CALL_QUEUE;
import static io.callcenter.db.Tables.QUEUE_CALLBACK;
import static io.callcenter.db.Tables.QUEUE_EVENT;
import static io.callcenter.db.Tables.QUEUE_MEMBER;

@Repository
public class QueueRepository implements QueueStore {

    private final DSLContext db;
    private final ApplicationEventPublisher events;
    private final List<Consumer<UUID>> listeners = new CopyOnWriteArrayList<>();

    QueueRepository(DSLContext db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    @Override
    public Optional<QueueSettings> forTeam(UUID teamId) {
        // The team's first queue is where its numbers go by default; others are reached through destinations.
        return db.selectFrom(CALL_QUEUE).where(CALL_QUEUE.TEAM_ID.eq(teamId)).and(CALL_QUEUE.DELETED_AT.isNull())
                .orderBy(CALL_QUEUE.CREATED_AT, CALL_QUEUE.ID).limit(1).fetchOptional().map(QueueRepository::settings);
    }

    @Override
    public Optional<QueueSettings> byId(UUID queueId) {
        return db.selectFrom(CALL_QUEUE).where(CALL_QUEUE.ID.eq(queueId)).and(CALL_QUEUE.DELETED_AT.isNull())
                .fetchOptional().map(QueueRepository::settings);
    }

    @Override
    public Optional<Joined> joined(UUID callId) {
        // The last join is the queue the caller waits in (an overflow joins another); the first is their place.
        var joins = db.select(QUEUE_EVENT.QUEUE_ID, QUEUE_EVENT.OCCURRED_AT).from(QUEUE_EVENT)
                .where(QUEUE_EVENT.CALL_ID.eq(callId).and(QUEUE_EVENT.EVENT.eq(QueueLog.Type.JOINED.dbValue())))
                .orderBy(QUEUE_EVENT.ID).fetch();
        return joins.isEmpty() ? Optional.empty() : Optional.of(new Joined(joins.getLast().value1(),
                joins.getLast().value2().toInstant(), joins.getFirst().value2().toInstant()));
    }

    /** Creates or replaces a queue. */
    public void save(QueueSettings queue) {
        CallQueueRecord row = db.newRecord(CALL_QUEUE);
        row.setId(queue.id());
        row.setTeamId(queue.teamId());
        row.setName(queue.name());
        row.setStrategy(queue.strategy().dbValue());
        row.setRingTimeoutSeconds((int) queue.ringTimeout().toSeconds());
        row.setMaxWaitSeconds((int) queue.maxWait().toSeconds());
        row.setAnnounceEverySeconds((int) queue.announceEvery().toSeconds());
        row.setServiceLevelSeconds((int) queue.serviceLevel().toSeconds());
        row.setMohClass(queue.mohClass());
        row.setOverflowKind(queue.overflow().kind().dbValue());
        row.setOverflowTarget(queue.overflow().target());
        row.setPriority(queue.priority());
        row.setWrapUpSeconds(queue.wrapUp() == null ? null : (int) queue.wrapUp().toSeconds());
        QueueSettings.Entry entry = queue.entry();
        row.setMaxLength(entry.maxLength());
        row.setFullKind(entry.whenFull().kind().dbValue());
        row.setFullTarget(entry.whenFull().target());
        row.setNoAgent(entry.refuseWithoutAgents() ? "overflow" : "wait");
        row.setNoAgentKind(entry.whenNoAgent().kind().dbValue());
        row.setNoAgentTarget(entry.whenNoAgent().target());
        db.insertInto(CALL_QUEUE).set(row).onConflict(CALL_QUEUE.ID).doUpdate().set(row).execute();
        changed(queue.id());
    }

    /** Deletes a queue; its row stays (its log refers to it) but no call finds it any more. */
    public void delete(UUID queueId, Instant at) {
        db.update(CALL_QUEUE).set(CALL_QUEUE.DELETED_AT, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .where(CALL_QUEUE.ID.eq(queueId)).execute();
        db.deleteFrom(QUEUE_MEMBER).where(QUEUE_MEMBER.QUEUE_ID.eq(queueId)).execute();
        changed(queueId);
    }

    @Override
    public void onChange(Consumer<UUID> listener) {
        listeners.add(listener);
    }

    /** The running queues hear of a change once it is committed (at once outside a transaction). */
    private void changed(UUID queueId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    listeners.forEach(listener -> listener.accept(queueId));
                }
            });
        } else {
            listeners.forEach(listener -> listener.accept(queueId));
        }
    }

    @Override
    public List<QueueStore.Member> members(UUID queueId) {
        return db.selectFrom(QUEUE_MEMBER).where(QUEUE_MEMBER.QUEUE_ID.eq(queueId)).fetch()
                .map(row -> new QueueStore.Member(row.getAgentId(), row.getLevel(), row.getLoggedIn()));
    }

    /** Adds or updates a member: their skill level and whether they are logged into the queue. */
    public void saveMember(UUID queueId, UUID agentId, int level, boolean loggedIn) {
        db.insertInto(QUEUE_MEMBER, QUEUE_MEMBER.QUEUE_ID, QUEUE_MEMBER.AGENT_ID, QUEUE_MEMBER.LEVEL, QUEUE_MEMBER.LOGGED_IN)
                .values(queueId, agentId, level, loggedIn)
                .onConflict(QUEUE_MEMBER.QUEUE_ID, QUEUE_MEMBER.AGENT_ID).doUpdate()
                .set(QUEUE_MEMBER.LEVEL, level).set(QUEUE_MEMBER.LOGGED_IN, loggedIn)
                .execute();
        changed(queueId);
    }

    /** Removes a member; false if the agent was none. */
    public boolean removeMember(UUID queueId, UUID agentId) {
        boolean removed = db.deleteFrom(QUEUE_MEMBER)
                .where(QUEUE_MEMBER.QUEUE_ID.eq(queueId).and(QUEUE_MEMBER.AGENT_ID.eq(agentId))).execute() == 1;
        changed(queueId);
        return removed;
    }

    /** Every queue of a team (of all teams for null), oldest first: the first is where the team's numbers go. */
    public List<QueueSettings> all(UUID teamId) {
        return db.selectFrom(CALL_QUEUE).where(CALL_QUEUE.DELETED_AT.isNull())
                .and(teamId == null ? DSL.noCondition() : CALL_QUEUE.TEAM_ID.eq(teamId))
                .orderBy(CALL_QUEUE.TEAM_ID, CALL_QUEUE.CREATED_AT, CALL_QUEUE.ID).fetch().map(QueueRepository::settings);
    }

    public boolean nameTaken(UUID teamId, String name, UUID except) {
        return db.fetchExists(CALL_QUEUE, CALL_QUEUE.TEAM_ID.eq(teamId).and(CALL_QUEUE.DELETED_AT.isNull())
                .and(DSL.lower(CALL_QUEUE.NAME).eq(name.toLowerCase(java.util.Locale.ROOT))).and(CALL_QUEUE.ID.ne(except)));
    }

    /** Callbacks still to be made for the queue (its deletion would drop them). */
    public int openCallbackCount(UUID queueId) {
        return db.fetchCount(QUEUE_CALLBACK, QUEUE_CALLBACK.QUEUE_ID.eq(queueId)
                .and(QUEUE_CALLBACK.STATE.in("callback_waiting", "callback_offered", "callback_dialling")));
    }

    /** The agent logs into or out of a queue they are a member of; false if they are not one. */
    public boolean setLoggedIn(UUID queueId, UUID agentId, boolean loggedIn) {
        boolean member = db.update(QUEUE_MEMBER).set(QUEUE_MEMBER.LOGGED_IN, loggedIn)
                .where(QUEUE_MEMBER.QUEUE_ID.eq(queueId).and(QUEUE_MEMBER.AGENT_ID.eq(agentId))).execute() == 1;
        changed(queueId);
        return member;
    }

    /** The queues an agent is a member of, with their level and login (the agent page). */
    public List<Membership> memberships(UUID agentId) {
        return db.select(CALL_QUEUE.ID, CALL_QUEUE.NAME, QUEUE_MEMBER.LEVEL, QUEUE_MEMBER.LOGGED_IN)
                .from(QUEUE_MEMBER).join(CALL_QUEUE).on(CALL_QUEUE.ID.eq(QUEUE_MEMBER.QUEUE_ID).and(CALL_QUEUE.DELETED_AT.isNull()))
                .where(QUEUE_MEMBER.AGENT_ID.eq(agentId)).orderBy(CALL_QUEUE.NAME)
                .fetch(row -> new Membership(row.value1(), row.value2(), row.value3(), row.value4()));
    }

    public record Membership(UUID queueId, String queueName, int level, boolean loggedIn) {
    }

    @Override
    public Map<UUID, Integer> answeredSince(Instant since) {
        return db.select(QUEUE_EVENT.AGENT_ID, DSL.count()).from(QUEUE_EVENT)
                .where(QUEUE_EVENT.EVENT.eq(QueueLog.Type.ANSWERED.dbValue())
                        .and(QUEUE_EVENT.OCCURRED_AT.ge(OffsetDateTime.ofInstant(since, ZoneOffset.UTC))))
                .groupBy(QUEUE_EVENT.AGENT_ID)
                .fetchMap(QUEUE_EVENT.AGENT_ID, DSL.count());
    }

    @Override
    public void append(List<QueueLog> rows) {
        var insert = db.insertInto(QUEUE_EVENT, QUEUE_EVENT.QUEUE_ID, QUEUE_EVENT.CALL_ID, QUEUE_EVENT.OCCURRED_AT,
                QUEUE_EVENT.EVENT, QUEUE_EVENT.AGENT_ID, QUEUE_EVENT.WAIT_MS, QUEUE_EVENT.POSITION, QUEUE_EVENT.DETAIL);
        for (QueueLog row : rows) {
            insert = insert.values(row.queueId(), row.callId(), OffsetDateTime.ofInstant(row.at(), ZoneOffset.UTC),
                    row.type().dbValue(), row.agentId(), row.waited().toMillis(), row.position(), row.detail());
        }
        insert.execute();
        events.publishEvent(new QueueLogged(rows.stream().map(QueueLog::queueId).collect(java.util.stream.Collectors.toSet())));
    }

    /** The log of one queue, oldest first (reports and tests). */
    public List<QueueLog> log(UUID queueId) {
        return db.selectFrom(QUEUE_EVENT).where(QUEUE_EVENT.QUEUE_ID.eq(queueId)).orderBy(QUEUE_EVENT.ID).fetch()
                .map(row -> new QueueLog(row.getQueueId(), row.getCallId(), row.getOccurredAt().toInstant(),
                        QueueLog.Type.valueOf(row.getEvent().toUpperCase(java.util.Locale.ROOT)), row.getAgentId(),
                        Duration.ofMillis(row.getWaitMs()), row.getPosition(), row.getDetail()));
    }

    @Override
    public boolean callbackEnabled(UUID queueId) {
        return db.select(CALL_QUEUE.CALLBACK_ENABLED).from(CALL_QUEUE).where(CALL_QUEUE.ID.eq(queueId))
                .fetchOptional(CALL_QUEUE.CALLBACK_ENABLED).orElse(false);
    }

    /** Lets the queue's waiting callers press 1 to be called back (or not). */
    public void setCallbackEnabled(UUID queueId, boolean enabled) {
        db.update(CALL_QUEUE).set(CALL_QUEUE.CALLBACK_ENABLED, enabled).where(CALL_QUEUE.ID.eq(queueId)).execute();
        changed(queueId);
    }

    @Override
    public void saveCallback(QueueEntry entry, Instant at, UUID agentId, String detail) {
        OffsetDateTime now = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        String state = entry.state().dbValue();
        db.insertInto(QUEUE_CALLBACK)
                .set(QUEUE_CALLBACK.CALL_ID, entry.callId())
                .set(QUEUE_CALLBACK.QUEUE_ID, entry.queueId())
                .set(QUEUE_CALLBACK.NUMBER, entry.callerNumber())
                .set(QUEUE_CALLBACK.PRIORITY, entry.priority())
                .set(QUEUE_CALLBACK.JOINED_AT, OffsetDateTime.ofInstant(entry.joinedAt(), ZoneOffset.UTC))
                .set(QUEUE_CALLBACK.REQUESTED_AT, now)
                .set(QUEUE_CALLBACK.STATE, state)
                .set(QUEUE_CALLBACK.AGENT_ID, agentId)
                .set(QUEUE_CALLBACK.DETAIL, detail)
                .set(QUEUE_CALLBACK.UPDATED_AT, now)
                .onConflict(QUEUE_CALLBACK.CALL_ID).doUpdate()
                .set(QUEUE_CALLBACK.STATE, state)
                .set(QUEUE_CALLBACK.AGENT_ID, agentId)
                .set(QUEUE_CALLBACK.DETAIL, detail)
                .set(QUEUE_CALLBACK.UPDATED_AT, now)
                .execute();
    }

    @Override
    public List<QueueEntry> openCallbacks() {
        // A callback caught mid-dial by a restart goes back to waiting: its place is kept, its agent is free again.
        return db.selectFrom(QUEUE_CALLBACK)
                .where(QUEUE_CALLBACK.STATE.in("callback_waiting", "callback_offered", "callback_dialling"))
                .orderBy(QUEUE_CALLBACK.JOINED_AT).fetch()
                .map(row -> new QueueEntry(row.getCallId(), row.getQueueId(), row.getNumber(), row.getPriority(),
                        row.getJoinedAt().toInstant(), QueueEntryState.CALLBACK_WAITING, java.util.Set.of(),
                        java.util.Set.of()));
    }

    /** A queue's callbacks, newest first (agents and managers of its team). */
    public List<Callback> callbacks(UUID queueId, int limit) {
        return db.selectFrom(QUEUE_CALLBACK).where(QUEUE_CALLBACK.QUEUE_ID.eq(queueId))
                .orderBy(QUEUE_CALLBACK.REQUESTED_AT.desc()).limit(limit).fetch()
                .map(row -> new Callback(row.getCallId(), row.getNumber(), row.getJoinedAt().toInstant(),
                        row.getRequestedAt().toInstant(), row.getState(), row.getAgentId(), row.getDetail(),
                        row.getUpdatedAt().toInstant()));
    }

    /** One callback as the API shows it; {@code state} as in {@code queue_callback}. */
    public record Callback(UUID callId, String number, Instant joinedAt, Instant requestedAt, String state,
                           UUID agentId, String detail, Instant updatedAt) {
    }

    private static QueueSettings settings(CallQueueRecord row) {
        return new QueueSettings(row.getId(), row.getTeamId(), row.getName(), QueueStrategy.fromDb(row.getStrategy()),
                Duration.ofSeconds(row.getRingTimeoutSeconds()), Duration.ofSeconds(row.getMaxWaitSeconds()),
                Duration.ofSeconds(row.getAnnounceEverySeconds()), Duration.ofSeconds(row.getServiceLevelSeconds()),
                row.getMohClass(), new QueueSettings.Overflow(
                        QueueSettings.Overflow.Kind.valueOf(row.getOverflowKind().toUpperCase(java.util.Locale.ROOT)),
                        row.getOverflowTarget()), row.getPriority(),
                row.getWrapUpSeconds() == null ? null : Duration.ofSeconds(row.getWrapUpSeconds()),
                new QueueSettings.Entry(row.getMaxLength(), overflow(row.getFullKind(), row.getFullTarget()),
                        "overflow".equals(row.getNoAgent()), overflow(row.getNoAgentKind(), row.getNoAgentTarget())));
    }

    private static QueueSettings.Overflow overflow(String kind, String target) {
        return new QueueSettings.Overflow(QueueSettings.Overflow.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), target);
    }
}
