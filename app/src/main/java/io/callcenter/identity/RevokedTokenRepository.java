package io.callcenter.identity;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.callcenter.db.Tables.REVOKED_TOKEN;

/** Tokens signed out before their expiry; a row is useless once the token has expired, and is then deleted. */
@Repository
class RevokedTokenRepository {

    private final DSLContext db;

    RevokedTokenRepository(DSLContext db) {
        this.db = db;
    }

    void revoke(String tokenId, UUID userId, Instant expiresAt) {
        db.insertInto(REVOKED_TOKEN)
                .set(REVOKED_TOKEN.TOKEN_ID, tokenId)
                .set(REVOKED_TOKEN.USER_ID, userId)
                .set(REVOKED_TOKEN.EXPIRES_AT, expiresAt.atOffset(ZoneOffset.UTC))
                .onConflictDoNothing()
                .execute();
    }

    boolean isRevoked(String tokenId) {
        return db.fetchExists(REVOKED_TOKEN, REVOKED_TOKEN.TOKEN_ID.eq(tokenId));
    }

    int deleteExpired(Instant now) {
        return db.deleteFrom(REVOKED_TOKEN).where(REVOKED_TOKEN.EXPIRES_AT.lt(now.atOffset(ZoneOffset.UTC))).execute();
    }
}
