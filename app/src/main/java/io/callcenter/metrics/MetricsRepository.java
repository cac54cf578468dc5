package io.callcenter.metrics;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static io.callcenter.db.Tables.CALL;
import static io.callcenter.db.Tables.DIAL_ATTEMPT;
import static io.callcenter.db.Tables.TELNYX_INBOX;

/** The figures operators' gauges read from the database; each query uses a partial index of open rows. */
@Repository
class MetricsRepository {

    private final DSLContext db;

    MetricsRepository(DSLContext db) {
        this.db = db;
    }

    /** Calls not ended, by direction (the {@code call_open} index). */
    Map<String, Long> activeCallsByDirection() {
        Map<String, Long> counts = new HashMap<>();
        db.select(CALL.DIRECTION, DSL.count()).from(CALL).where(CALL.ENDED_AT.isNull()).groupBy(CALL.DIRECTION)
                .forEach(row -> counts.put(row.value1(), row.value2().longValue()));
        return counts;
    }

    /** Webhooks stored and not applied yet, and the age of the oldest of them (zero when none). */
    Inbox inbox() {
        var row = db.select(DSL.count(), DSL.min(TELNYX_INBOX.RECEIVED_AT)).from(TELNYX_INBOX)
                .where(TELNYX_INBOX.APPLIED_AT.isNull()).fetchOne();
        long size = row == null ? 0 : row.value1();
        OffsetDateTime oldest = row == null ? null : row.value2();
        Duration lag = oldest == null ? Duration.ZERO : Duration.between(oldest, OffsetDateTime.now(ZoneOffset.UTC));
        return new Inbox(size, lag.isNegative() ? Duration.ZERO : lag);
    }

    /** Dial attempts not ended (the {@code dial_attempt_open} index). */
    long attemptsInFlight() {
        return db.fetchCount(DIAL_ATTEMPT, DIAL_ATTEMPT.ENDED_AT.isNull());
    }

    /**
     * Today's abandon rate over all campaigns as the rule counts it (abandoned over answered by a person); zero
     * before anyone answered.
     */
    double abandonRateToday() {
        OffsetDateTime midnight = OffsetDateTime.now(ZoneOffset.UTC).toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC);
        var row = db.select(DSL.count(), DSL.count().filterWhere(DIAL_ATTEMPT.TSR_ABANDONED.isTrue()))
                .from(DIAL_ATTEMPT)
                .where(DIAL_ATTEMPT.TSR_LIVE.isTrue()).and(DIAL_ATTEMPT.ANSWERED_AT.ge(midnight))
                .fetchOne();
        if (row == null || row.value1() == 0) {
            return 0;
        }
        return row.value2() / (double) row.value1();
    }

    record Inbox(long size, Duration oldestPending) {
    }
}
