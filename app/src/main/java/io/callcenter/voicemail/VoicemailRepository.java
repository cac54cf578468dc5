package io.callcenter.voicemail;

import io.callcenter.db.tables.records.VoicemailBoxRecord;
import io.callcenter.db.tables.records.VoicemailMessageRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.AGENT;
import static io.callcenter.db.Tables.VOICEMAIL_BOX;
import static io.callcenter.db.Tables.VOICEMAIL_MESSAGE;

/** Boxes and their messages. */
@Repository
class VoicemailRepository {

    /** A message as lists show it. */
    record Message(UUID id, UUID boxId, UUID callId, String callerNumber, String recordingName, String format,
                   Instant startedAt, Instant endedAt, Long durationMillis, Long sizeBytes, String sha256,
                   Instant heardAt) {
    }

    /** An agent with a desk phone whose mailbox is told of messages waiting. */
    record DeskPhone(UUID agentId, UUID teamId, String extension) {
    }

    private final DSLContext db;

    VoicemailRepository(DSLContext db) {
        this.db = db;
    }

    // ---------------------------------------------------------------- boxes

    Optional<VoicemailBox> box(UUID id) {
        return db.selectFrom(VOICEMAIL_BOX).where(VOICEMAIL_BOX.ID.eq(id)).fetchOptional().map(VoicemailRepository::toBox);
    }

    /** The boxes of a team (null: every team's), the team's box first. */
    List<VoicemailBox> boxes(UUID teamId) {
        Condition where = teamId == null ? DSL.trueCondition() : VOICEMAIL_BOX.TEAM_ID.eq(teamId);
        return db.selectFrom(VOICEMAIL_BOX).where(where)
                .orderBy(VOICEMAIL_BOX.AGENT_ID.isNotNull(), VOICEMAIL_BOX.NAME).fetch().map(VoicemailRepository::toBox);
    }

    void save(VoicemailBox box) {
        VoicemailBoxRecord row = db.newRecord(VOICEMAIL_BOX);
        row.setId(box.id());
        row.setTeamId(box.teamId());
        row.setAgentId(box.agentId());
        row.setName(box.name());
        row.setGreeting(box.greeting());
        row.setMaxMessageSeconds((int) box.maxMessage().toSeconds());
        row.setMaxSilenceSeconds((int) box.maxSilence().toSeconds());
        db.insertInto(VOICEMAIL_BOX).set(row).onConflict(VOICEMAIL_BOX.ID).doUpdate()
                .set(VOICEMAIL_BOX.NAME, box.name())
                .set(VOICEMAIL_BOX.GREETING, box.greeting())
                .set(VOICEMAIL_BOX.MAX_MESSAGE_SECONDS, (int) box.maxMessage().toSeconds())
                .set(VOICEMAIL_BOX.MAX_SILENCE_SECONDS, (int) box.maxSilence().toSeconds())
                .execute();
    }

    void greetingUploaded(UUID boxId, Instant at) {
        db.update(VOICEMAIL_BOX).set(VOICEMAIL_BOX.GREETING_UPLOADED_AT, utc(at)).setNull(VOICEMAIL_BOX.GREETING)
                .where(VOICEMAIL_BOX.ID.eq(boxId)).execute();
    }

    boolean teamHasBox(UUID teamId) {
        return db.fetchExists(VOICEMAIL_BOX, VOICEMAIL_BOX.TEAM_ID.eq(teamId).and(VOICEMAIL_BOX.AGENT_ID.isNull()));
    }

    boolean agentHasBox(UUID agentId) {
        return db.fetchExists(VOICEMAIL_BOX, VOICEMAIL_BOX.AGENT_ID.eq(agentId));
    }

    Optional<UUID> agentTeam(UUID agentId) {
        return db.select(AGENT.TEAM_ID).from(AGENT).where(AGENT.ID.eq(agentId)).fetchOptional(AGENT.TEAM_ID);
    }

    /** The agents who see a box: its agent, or every agent of its team. */
    List<UUID> agentsSeeing(VoicemailBox box) {
        if (!box.isTeamBox()) {
            return List.of(box.agentId());
        }
        return db.select(AGENT.ID).from(AGENT).where(AGENT.TEAM_ID.eq(box.teamId())).fetch(AGENT.ID);
    }

    // ---------------------------------------------------------------- messages

    void messageStarted(UUID boxId, UUID callId, String callerNumber, String name, String format, Instant at) {
        db.insertInto(VOICEMAIL_MESSAGE)
                .set(VOICEMAIL_MESSAGE.ID, UUID.randomUUID())
                .set(VOICEMAIL_MESSAGE.BOX_ID, boxId)
                .set(VOICEMAIL_MESSAGE.CALL_ID, callId)
                .set(VOICEMAIL_MESSAGE.CALLER_NUMBER, callerNumber)
                .set(VOICEMAIL_MESSAGE.RECORDING_NAME, name)
                .set(VOICEMAIL_MESSAGE.FORMAT, format)
                .set(VOICEMAIL_MESSAGE.STARTED_AT, utc(at))
                .onConflict(VOICEMAIL_MESSAGE.RECORDING_NAME).doNothing()
                .execute();
    }

    /** Registers the end once; the message as registered, if its start was. */
    Optional<Message> messageEnded(String name, Instant at, VoicemailBoxes.MessageFile file, boolean failed) {
        int updated = db.update(VOICEMAIL_MESSAGE)
                .set(VOICEMAIL_MESSAGE.ENDED_AT, utc(at))
                .set(VOICEMAIL_MESSAGE.DURATION_MS, file.durationMillis())
                .set(VOICEMAIL_MESSAGE.SIZE_BYTES, file.sizeBytes())
                .set(VOICEMAIL_MESSAGE.SHA256, file.sha256())
                .set(VOICEMAIL_MESSAGE.FAILED, failed)
                .where(VOICEMAIL_MESSAGE.RECORDING_NAME.eq(name).and(VOICEMAIL_MESSAGE.ENDED_AT.isNull()))
                .execute();
        return updated == 0 ? Optional.empty() : db.selectFrom(VOICEMAIL_MESSAGE)
                .where(VOICEMAIL_MESSAGE.RECORDING_NAME.eq(name)).fetchOptional().map(VoicemailRepository::toMessage);
    }

    List<String> unfinished(Instant startedBefore) {
        return db.select(VOICEMAIL_MESSAGE.RECORDING_NAME).from(VOICEMAIL_MESSAGE)
                .where(VOICEMAIL_MESSAGE.ENDED_AT.isNull().and(VOICEMAIL_MESSAGE.STARTED_AT.lt(utc(startedBefore))))
                .fetch(VOICEMAIL_MESSAGE.RECORDING_NAME);
    }

    /** A box's messages one can hear: recorded, not failed, not deleted; newest first. */
    List<Message> messages(UUID boxId) {
        return db.selectFrom(VOICEMAIL_MESSAGE).where(playable().and(VOICEMAIL_MESSAGE.BOX_ID.eq(boxId)))
                .orderBy(VOICEMAIL_MESSAGE.STARTED_AT.desc()).fetch().map(VoicemailRepository::toMessage);
    }

    Optional<Message> message(UUID id) {
        return db.selectFrom(VOICEMAIL_MESSAGE).where(playable().and(VOICEMAIL_MESSAGE.ID.eq(id)))
                .fetchOptional().map(VoicemailRepository::toMessage);
    }

    void heard(UUID id, Instant at) {
        db.update(VOICEMAIL_MESSAGE).set(VOICEMAIL_MESSAGE.HEARD_AT, utc(at))
                .where(VOICEMAIL_MESSAGE.ID.eq(id).and(VOICEMAIL_MESSAGE.HEARD_AT.isNull())).execute();
    }

    void deleted(UUID id, Instant at, String by) {
        db.update(VOICEMAIL_MESSAGE).set(VOICEMAIL_MESSAGE.DELETED_AT, utc(at)).set(VOICEMAIL_MESSAGE.DELETED_BY, by)
                .where(VOICEMAIL_MESSAGE.ID.eq(id)).execute();
    }

    /** Messages (and unused recordings of failed ones) older than the instant whose files are still kept. */
    List<Message> olderThan(Instant before) {
        return db.selectFrom(VOICEMAIL_MESSAGE)
                .where(VOICEMAIL_MESSAGE.DELETED_AT.isNull().and(VOICEMAIL_MESSAGE.STARTED_AT.lt(utc(before))))
                .fetch().map(VoicemailRepository::toMessage);
    }

    /** New and heard messages per box (those one can hear). */
    Map<UUID, int[]> counts(List<UUID> boxIds) {
        Map<UUID, int[]> counts = new java.util.HashMap<>();
        db.select(VOICEMAIL_MESSAGE.BOX_ID, VOICEMAIL_MESSAGE.HEARD_AT.isNull(), DSL.count())
                .from(VOICEMAIL_MESSAGE)
                .where(playable().and(VOICEMAIL_MESSAGE.BOX_ID.in(boxIds)))
                .groupBy(VOICEMAIL_MESSAGE.BOX_ID, VOICEMAIL_MESSAGE.HEARD_AT.isNull())
                .forEach(row -> counts.computeIfAbsent(row.value1(), id -> new int[2])[row.value2() ? 0 : 1] = row.value3());
        return counts;
    }

    /** Desk phones (SIP) of the agents who see any of these boxes. */
    List<DeskPhone> deskPhones(UUID teamId) {
        Condition where = AGENT.PHONE.eq("sip");
        if (teamId != null) {
            where = where.and(AGENT.TEAM_ID.eq(teamId));
        }
        return db.select(AGENT.ID, AGENT.TEAM_ID, AGENT.EXTENSION).from(AGENT).where(where)
                .fetch(row -> new DeskPhone(row.value1(), row.value2(), row.value3()));
    }

    /** An agent's own box and their team's box. */
    List<UUID> boxesOf(UUID agentId, UUID teamId) {
        return db.select(VOICEMAIL_BOX.ID).from(VOICEMAIL_BOX)
                .where(VOICEMAIL_BOX.AGENT_ID.eq(agentId)
                        .or(VOICEMAIL_BOX.TEAM_ID.eq(teamId).and(VOICEMAIL_BOX.AGENT_ID.isNull())))
                .fetch(VOICEMAIL_BOX.ID);
    }

    private static Condition playable() {
        return VOICEMAIL_MESSAGE.DELETED_AT.isNull().and(VOICEMAIL_MESSAGE.ENDED_AT.isNotNull())
                .and(VOICEMAIL_MESSAGE.FAILED.isFalse());
    }

    private static VoicemailBox toBox(VoicemailBoxRecord row) {
        return new VoicemailBox(row.getId(), row.getTeamId(), row.getAgentId(), row.getName(), row.getGreeting(),
                row.getGreetingUploadedAt() != null, Duration.ofSeconds(row.getMaxMessageSeconds()),
                Duration.ofSeconds(row.getMaxSilenceSeconds()));
    }

    private static Message toMessage(VoicemailMessageRecord row) {
        return new Message(row.getId(), row.getBoxId(), row.getCallId(), row.getCallerNumber(), row.getRecordingName(),
                row.getFormat(), row.getStartedAt().toInstant(), row.getEndedAt() == null ? null : row.getEndedAt().toInstant(),
                row.getDurationMs(), row.getSizeBytes(), row.getSha256(),
                row.getHeardAt() == null ? null : row.getHeardAt().toInstant());
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
