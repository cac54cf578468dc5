package io.callcenter.report;

import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The call detail export: every call of a team in a range with its legs, disposition and whether it has a
 * recording, read through a server-side cursor (PostgreSQL keeps one open only inside a transaction and only when
 * a fetch size is set), so a million calls pass through a few hundred rows of memory.
 */
@Repository
class CallExportRepository {

    static final int FETCH_SIZE = 500;

    private final DSLContext db;

    CallExportRepository(DSLContext db) {
        this.db = db;
    }

    record ExportRow(UUID callId, String direction, String origin, String from, String to, String agentExtension,
                     OffsetDateTime createdAt, OffsetDateTime answeredAt, OffsetDateTime endedAt, Integer durationSeconds,
                     String hangupCause, String disposition, String dispositionNote, String legs, boolean recorded) {
    }

    interface RowSink {
        void accept(ExportRow row) throws IOException;
    }

    @Transactional(readOnly = true)
    long export(UUID teamId, ReportRange range, RowSink sink) {
        long count = 0;
        try (Cursor<Record> cursor = db.resultQuery("""
                select c.id, c.direction, c.origin, c.from_number, c.to_number, a.extension,
                       c.created_at, c.answered_at, c.ended_at, c.duration_seconds, c.hangup_cause,
                       c.disposition, c.disposition_note,
                       (select string_agg(concat_ws(' ', l.role, l.endpoint, l.number,
                                                    'answered=' || to_char(l.answered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                                    'ended=' || to_char(l.ended_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                                    'reason=' || l.leave_reason), ' | ' order by l.created_at)
                        from call_leg l where l.call_id = c.id),
                       exists (select 1 from recording r where r.call_id = c.id and r.deleted_at is null)
                from call c left join agent a on a.id = c.agent_id
                where c.team_id = {0} and c.created_at >= {1} and c.created_at < {2}
                order by c.created_at, c.id""", teamId, ReportRepository.utc(range.start()), ReportRepository.utc(range.end()))
                .fetchSize(FETCH_SIZE).fetchLazy()) {
            for (Record r : cursor) {
                sink.accept(new ExportRow(r.get(0, UUID.class), r.get(1, String.class), r.get(2, String.class),
                        r.get(3, String.class), r.get(4, String.class), r.get(5, String.class),
                        r.get(6, OffsetDateTime.class), r.get(7, OffsetDateTime.class), r.get(8, OffsetDateTime.class),
                        r.get(9, Integer.class), r.get(10, String.class), r.get(11, String.class), r.get(12, String.class),
                        r.get(13, String.class), Boolean.TRUE.equals(r.get(14, Boolean.class))));
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }
}
