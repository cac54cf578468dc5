package io.callcenter.identity;

import io.callcenter.db.tables.records.AppUserRecord;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.APP_USER;
import static io.callcenter.db.Tables.REVOKED_TOKEN;

@Repository
class UserRepository {

    private final DSLContext db;

    UserRepository(DSLContext db) {
        this.db = db;
    }

    Optional<User> findById(UUID id) {
        return db.selectFrom(APP_USER).where(APP_USER.ID.eq(id)).fetchOptional(UserRepository::toUser);
    }

    /** A bearer token's user, and whether that token was signed out ({@code tokenId} null: it cannot be). */
    record TokenUser(User user, boolean revoked) {
    }

    /**
     * Both facts every API request needs, in one round trip instead of two: under a burst (200 clicks to dial in a
     * second) each round trip is a wait for one of the pool's connections, and this pair was two of a click's five.
     */
    Optional<TokenUser> findForToken(UUID id, String tokenId) {
        Field<Boolean> revoked = tokenId == null ? DSL.inline(false)
                : DSL.field(DSL.exists(DSL.selectOne().from(REVOKED_TOKEN).where(REVOKED_TOKEN.TOKEN_ID.eq(tokenId))));
        return db.select(APP_USER.fields()).select(revoked.as("revoked")).from(APP_USER).where(APP_USER.ID.eq(id))
                .fetchOptional(row -> new TokenUser(toUser(row.into(APP_USER)), Boolean.TRUE.equals(row.get("revoked", Boolean.class))));
    }

    Optional<User> findByUsername(String username) {
        return db.selectFrom(APP_USER).where(APP_USER.USERNAME.eq(username)).fetchOptional(UserRepository::toUser);
    }

    Optional<String> passwordHash(String username) {
        return db.select(APP_USER.PASSWORD_HASH).from(APP_USER).where(APP_USER.USERNAME.eq(username))
                .fetchOptional(APP_USER.PASSWORD_HASH);
    }

    List<User> findAll() {
        return db.selectFrom(APP_USER).orderBy(APP_USER.USERNAME).fetch(UserRepository::toUser);
    }

    List<User> findByTeam(UUID teamId) {
        return db.selectFrom(APP_USER).where(APP_USER.TEAM_ID.eq(teamId)).orderBy(APP_USER.USERNAME)
                .fetch(UserRepository::toUser);
    }

    void insert(User user, String passwordHash) {
        db.insertInto(APP_USER)
                .set(APP_USER.ID, user.id())
                .set(APP_USER.USERNAME, user.username())
                .set(APP_USER.DISPLAY_NAME, user.displayName())
                .set(APP_USER.PASSWORD_HASH, passwordHash)
                .set(APP_USER.ROLE, user.role().dbValue())
                .set(APP_USER.PERMISSIONS, user.permissions().toArray(String[]::new))
                .set(APP_USER.TEAM_ID, user.teamId())
                .set(APP_USER.AGENT_ID, user.agentId())
                .set(APP_USER.ENABLED, user.enabled())
                .execute();
    }

    void updatePassword(UUID id, String passwordHash) {
        db.update(APP_USER).set(APP_USER.PASSWORD_HASH, passwordHash).where(APP_USER.ID.eq(id)).execute();
    }

    void update(User user) {
        db.update(APP_USER)
                .set(APP_USER.DISPLAY_NAME, user.displayName())
                .set(APP_USER.ROLE, user.role().dbValue())
                .set(APP_USER.PERMISSIONS, user.permissions().toArray(String[]::new))
                .set(APP_USER.TEAM_ID, user.teamId())
                .set(APP_USER.AGENT_ID, user.agentId())
                .set(APP_USER.ENABLED, user.enabled())
                .where(APP_USER.ID.eq(user.id()))
                .execute();
    }

    private static User toUser(AppUserRecord row) {
        return new User(row.getId(), row.getUsername(), row.getDisplayName(), Role.fromDb(row.getRole()),
                List.of(row.getPermissions()), row.getTeamId(), row.getAgentId(), row.getEnabled());
    }
}
