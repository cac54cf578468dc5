package io.callcenter.call.queue;

import io.callcenter.db.tables.records.CallQueueRecord;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.CALL_QUEUE;
import static io.callcenter.db.Tables.QUEUE_EVENT;

@Repository
public class QueueRepository implements QueueStore {

    private final DSLContext db;

    QueueRepository(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<QueueSettings> forTeam(UUID teamId) {
        return db.selectFrom(CALL_QUEUE).where(CALL_QUEUE.TEAM_ID.eq(teamId)).fetchOptional().map(QueueRepository::settings);
    }

    @Override
    public Optional<QueueSettings> byId(UUID queueId) {
        return db.selectFrom(CALL_QUEUE).where(CALL_QUEUE.ID.eq(queueId)).fetchOptional().map(QueueRepository::settings);
    }

    @Override
    public Optional<Joined> joined(UUID callId) {
        return db.select(QUEUE_EVENT.QUEUE_ID, QUEUE_EVENT.OCCURRED_AT).from(QUEUE_EVENT)
                .where(QUEUE_EVENT.CALL_ID.eq(callId).and(QUEUE_EVENT.EVENT.eq(QueueLog.Type.JOINED.dbValue())))
                .orderBy(QUEUE_EVENT.ID.desc()).limit(1)
                .fetchOptional(row -> new Joined(row.value1(), row.value2().toInstant()));
    }

    /** Creates or replaces the team's queue. */
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
        db.insertInto(CALL_QUEUE).set(row).onConflict(CALL_QUEUE.TEAM_ID).doUpdate().set(row).execute();
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
    }

    /** The log of one queue, oldest first (reports and tests). */
    public List<QueueLog> log(UUID queueId) {
        return db.selectFrom(QUEUE_EVENT).where(QUEUE_EVENT.QUEUE_ID.eq(queueId)).orderBy(QUEUE_EVENT.ID).fetch()
                .map(row -> new QueueLog(row.getQueueId(), row.getCallId(), row.getOccurredAt().toInstant(),
                        QueueLog.Type.valueOf(row.getEvent().toUpperCase(java.util.Locale.ROOT)), row.getAgentId(),
                        Duration.ofMillis(row.getWaitMs()), row.getPosition(), row.getDetail()));
    }

    private static QueueSettings settings(CallQueueRecord row) {
        return new QueueSettings(row.getId(), row.getTeamId(), row.getName(), QueueStrategy.fromDb(row.getStrategy()),
                Duration.ofSeconds(row.getRingTimeoutSeconds()), Duration.ofSeconds(row.getMaxWaitSeconds()),
                Duration.ofSeconds(row.getAnnounceEverySeconds()), Duration.ofSeconds(row.getServiceLevelSeconds()),
                row.getMohClass(), new QueueSettings.Overflow(
                        QueueSettings.Overflow.Kind.valueOf(row.getOverflowKind().toUpperCase(java.util.Locale.ROOT)),
                        row.getOverflowTarget()));
    }
}
