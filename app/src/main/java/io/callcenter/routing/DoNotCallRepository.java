package io.callcenter.routing;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.UUID;

import static io.callcenter.db.Tables.DNC_NUMBER;

@Repository
class DoNotCallRepository {

    private final DSLContext db;

    DoNotCallRepository(DSLContext db) {
        this.db = db;
    }

    boolean exists(String e164) {
        return db.fetchExists(DNC_NUMBER, DNC_NUMBER.E164.eq(e164));
    }

    boolean insert(String e164, String source, String reason, UUID addedBy) {
        return db.insertInto(DNC_NUMBER)
                .set(DNC_NUMBER.E164, e164)
                .set(DNC_NUMBER.SOURCE, source)
                .set(DNC_NUMBER.REASON, reason)
                .set(DNC_NUMBER.ADDED_BY, addedBy)
                .onConflictDoNothing()
                .execute() > 0;
    }

    /** Inserts those not listed yet in one statement and returns how many were new. */
    int insertAll(List<String> e164s, String source, String reason, UUID addedBy) {
        if (e164s.isEmpty()) {
            return 0;
        }
        var insert = db.insertInto(DNC_NUMBER, DNC_NUMBER.E164, DNC_NUMBER.SOURCE, DNC_NUMBER.REASON, DNC_NUMBER.ADDED_BY);
        for (String e164 : e164s) {
            insert = insert.values(e164, source, reason, addedBy);
        }
        return insert.onConflictDoNothing().execute();
    }

    java.util.Optional<DoNotCallList.Entry> find(String e164) {
        return db.selectFrom(DNC_NUMBER).where(DNC_NUMBER.E164.eq(e164))
                .fetchOptional(row -> new DoNotCallList.Entry(row.getE164(), row.getSource(), row.getReason(),
                        row.getAddedBy(), row.getCreatedAt().toInstant()));
    }

    boolean delete(String e164) {
        return db.deleteFrom(DNC_NUMBER).where(DNC_NUMBER.E164.eq(e164)).execute() > 0;
    }

    /** {@code digits}: only numbers containing them (a search), null for all. */
    List<DoNotCallList.Entry> page(int limit, String after, String digits) {
        return db.selectFrom(DNC_NUMBER)
                .where(after == null ? org.jooq.impl.DSL.noCondition() : DNC_NUMBER.E164.gt(after))
                .and(digits == null ? org.jooq.impl.DSL.noCondition() : DNC_NUMBER.E164.contains(digits))
                .orderBy(DNC_NUMBER.E164).limit(limit)
                .fetch(row -> new DoNotCallList.Entry(row.getE164(), row.getSource(), row.getReason(), row.getAddedBy(),
                        row.getCreatedAt().toInstant()));
    }
}
