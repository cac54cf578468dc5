package io.callcenter.dialer.telnyx;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static io.callcenter.db.Tables.TELNYX_INBOX;

@Repository
class TelnyxInboxRepository {

    private final DSLContext db;

    TelnyxInboxRepository(DSLContext db) {
        this.db = db;
    }

    /**
     * Many webhooks in one statement (one commit); returns the ids inserted now, not those stored before. A batch
     * that fails stores none of its rows.
     */
    java.util.Set<String> insertAll(List<InboxWriter.Pending> batch) {
        var insert = db.insertInto(TELNYX_INBOX, TELNYX_INBOX.EVENT_ID, TELNYX_INBOX.EVENT_TYPE, TELNYX_INBOX.CALL_CONTROL_ID,
                TELNYX_INBOX.ATTEMPT_ID, TELNYX_INBOX.OCCURRED_AT, TELNYX_INBOX.BODY, TELNYX_INBOX.RECEIVED_AT);
        for (InboxWriter.Pending p : batch) {
            TelnyxEvent event = p.event();
            insert = insert.values(event.eventId(), event.type(), event.callControlId(), event.attemptId(),
                    utc(event.occurredAt()), p.body(), utc(p.receivedAt()));
        }
        return new java.util.HashSet<>(insert.onConflictDoNothing().returning(TELNYX_INBOX.EVENT_ID).fetch(TELNYX_INBOX.EVENT_ID));
    }

    record Pending(TelnyxEvent event, Instant receivedAt) {
    }

    List<Pending> pending(int limit) {
        return db.selectFrom(TELNYX_INBOX)
                .where(TELNYX_INBOX.APPLIED_AT.isNull()).and(TELNYX_INBOX.SET_ASIDE_AT.isNull())
                .orderBy(TELNYX_INBOX.OCCURRED_AT, TELNYX_INBOX.RECEIVED_AT)
                .limit(limit)
                .fetch(row -> new Pending(TelnyxWebhookController.parse(row.getBody()), row.getReceivedAt().toInstant()));
    }

    void markApplied(String eventId, Instant at, String failure) {
        db.update(TELNYX_INBOX)
                .set(TELNYX_INBOX.APPLIED_AT, utc(at))
                .set(TELNYX_INBOX.FAILURE, failure)
                .where(TELNYX_INBOX.EVENT_ID.eq(eventId))
                .execute();
    }

    /** Many events applied at once, in one statement. */
    void markAllApplied(java.util.Collection<String> eventIds, Instant at) {
        if (eventIds.isEmpty()) {
            return;
        }
        db.update(TELNYX_INBOX)
                .set(TELNYX_INBOX.APPLIED_AT, utc(at))
                .setNull(TELNYX_INBOX.FAILURE)
                .where(TELNYX_INBOX.EVENT_ID.in(eventIds))
                .execute();
    }

    /** Counts a failed try; at {@code maxTries} the row is set aside. Returns the tries so far. */
    int failed(String eventId, Instant at, String failure, int maxTries) {
        Integer tries = db.update(TELNYX_INBOX)
                .set(TELNYX_INBOX.TRIES, TELNYX_INBOX.TRIES.plus(1))
                .set(TELNYX_INBOX.FAILURE, failure)
                .set(TELNYX_INBOX.SET_ASIDE_AT, org.jooq.impl.DSL.when(TELNYX_INBOX.TRIES.plus(1).ge(maxTries), utc(at))
                        .otherwise(TELNYX_INBOX.SET_ASIDE_AT))
                .where(TELNYX_INBOX.EVENT_ID.eq(eventId))
                .returning(TELNYX_INBOX.TRIES)
                .fetchOne(TELNYX_INBOX.TRIES);
        return tries == null ? 0 : tries;
    }

    /** Applied events older than the retention; set-aside ones stay until someone has looked at them. */
    int deleteAppliedBefore(Instant before) {
        return db.deleteFrom(TELNYX_INBOX).where(TELNYX_INBOX.APPLIED_AT.lt(utc(before))).execute();
    }

    int count() {
        return db.fetchCount(TELNYX_INBOX);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

}
