package io.callcenter.call.store;

import io.callcenter.call.CallState;
import io.callcenter.call.Direction;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.call.model.Origin;
import io.callcenter.call.model.Transfer;
import io.callcenter.call.recording.Recordings;
import io.callcenter.db.tables.records.CallLegRecord;
import io.callcenter.db.tables.records.CallRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.callcenter.db.Tables.CALL;
import static io.callcenter.db.Tables.CALL_EVENT;
import static io.callcenter.db.Tables.CALL_LEG;
import static io.callcenter.db.Tables.DISPOSITION_CODE;
import static io.callcenter.db.Tables.RECORDING;
import static io.callcenter.db.Tables.TEAM;
import static io.callcenter.call.store.CallRowsRepository.callRow;
import static io.callcenter.call.store.CallRowsRepository.changingColumns;
import static io.callcenter.call.store.CallRowsRepository.instant;
import static io.callcenter.call.store.CallRowsRepository.legRow;
import static io.callcenter.call.store.CallRowsRepository.odt;
import static io.callcenter.call.store.CallRowsRepository.toView;

@Repository
public class CallRepository implements CallStore, io.callcenter.call.DialledCallRecords {

    private final DSLContext db;
    /** The rows last rendered of each live call, as SQL: a write that would write the same again is skipped. */
    private final Map<UUID, List<String>> lastRendered = new java.util.concurrent.ConcurrentHashMap<>();

    CallRepository(DSLContext db) {
        this.db = db;
    }

    /** A call's rows (upserts, all of them) and new transitions (inserts), rendered as SQL on the call's lane. */
    private record RenderedWrite(UUID callId, List<String> rows, List<String> transitionRows) implements Write {
        @Override
        public int transitions() {
            return transitionRows.size();
        }

        @Override
        public Write then(Write later) {
            RenderedWrite next = (RenderedWrite) later;
            List<String> both = new java.util.ArrayList<>(transitionRows);
            both.addAll(next.transitionRows);
            // The later rows are the call as it is now: they replace the earlier, which would only be overwritten.
            return new RenderedWrite(callId, next.rows, both);
        }
    }

    /**
     * The call, its legs and the given transitions as SQL, rendered now so that the write can happen off the call's
     * lane while the call changes. A step that changed none of the rows last rendered and made no transition (a leg
     * ringing, entering the application) renders nothing: no round trip and no commit for it. Every rendered write
     * is written in the end (retried until the database takes it), so comparing with the last rendered is safe.
     */
    @Override
    public Write render(Call call, List<Call.Transition> transitions) {
        Map<org.jooq.Field<?>, Object> changing = changingColumns(call);
        List<String> rows = new java.util.ArrayList<>();
        rows.add(db.insertInto(CALL).set(callRow(call, changing)).onConflict(CALL.ID).doUpdate().set(changing)
                .getSQL(ParamType.INLINED));
        for (Leg leg : call.legs.values()) {
            Map<org.jooq.Field<?>, Object> legChanging = changingColumns(leg);
            rows.add(db.insertInto(CALL_LEG).set(legRow(call, leg, legChanging)).onConflict(CALL_LEG.CHANNEL_ID)
                    .doUpdate().set(legChanging).getSQL(ParamType.INLINED));
        }
        boolean ended = call.state() == CallState.ENDED;
        List<String> before = ended ? lastRendered.remove(call.id) : lastRendered.put(call.id, rows);
        if (transitions.isEmpty() && rows.equals(before)) {
            return null;
        }
        List<String> transitionRows = new java.util.ArrayList<>();
        for (Call.Transition transition : transitions) {
            transitionRows.add(db.insertInto(CALL_EVENT)
                    .set(CALL_EVENT.CALL_ID, call.id)
                    .set(CALL_EVENT.OCCURRED_AT, odt(transition.at()))
                    .set(CALL_EVENT.FROM_STATE, transition.from() == null ? null : transition.from().name())
                    .set(CALL_EVENT.TO_STATE, transition.to().name())
                    .set(CALL_EVENT.EVENT, transition.event())
                    .set(CALL_EVENT.DETAIL, transition.detail())
                    .getSQL(ParamType.INLINED));
        }
        return new RenderedWrite(call.id, rows, transitionRows);
    }

    /** One round trip (a JDBC batch: the rows first, then the transitions, in order) and one commit. */
    @Transactional
    @Override
    public void write(Write write) {
        RenderedWrite rendered = (RenderedWrite) write;
        List<String> writes = new java.util.ArrayList<>(rendered.rows());
        writes.addAll(rendered.transitionRows());
        db.batch(writes.toArray(String[]::new)).execute();
    }

    @Override
    public void forget(UUID callId) {
        lastRendered.remove(callId);
    }

    @Override
    public List<UUID> openCallIds() {
        return db.select(CALL.ID).from(CALL).where(CALL.ENDED_AT.isNull()).fetch(CALL.ID);
    }

    /** Channel ids of legs that belong to calls not ended yet. */
    @Override
    public List<String> openLegChannelIds() {
        return db.select(CALL_LEG.CHANNEL_ID).from(CALL_LEG).join(CALL).on(CALL.ID.eq(CALL_LEG.CALL_ID))
                .where(CALL.ENDED_AT.isNull()).fetch(CALL_LEG.CHANNEL_ID);
    }

    /** Rebuilds a call that was live when the app stopped, so it can be finished properly. */
    @Override
    public Optional<Call> loadOpen(UUID id) {
        CallRecord row = db.selectFrom(CALL).where(CALL.ID.eq(id).and(CALL.ENDED_AT.isNull())).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        Direction direction = Direction.fromDb(row.getDirection());
        Origin origin = row.getOrigin() != null ? Origin.valueOf(row.getOrigin().toUpperCase(java.util.Locale.ROOT))
                : direction == Direction.INBOUND ? Origin.INBOUND : Origin.AGENT_DIAL;
        Call call = new Call(row.getId(), origin, direction, CallState.valueOf(row.getState()),
                row.getFromNumber(), row.getToNumber(), row.getCreatedAt().toInstant());
        call.agentId = row.getAgentId();
        call.teamId = row.getTeamId();
        call.answeredAt = instant(row.getAnsweredAt());
        call.hangupCause = row.getHangupCause();
        call.leadId = row.getLeadId();
        call.bridgeCreated = true;
        restoreRecording(call, row.getRecordingState());
        call.recordingFailed = Boolean.TRUE.equals(row.getRecordingFailed());
        for (CallLegRecord legRow : db.selectFrom(CALL_LEG).where(CALL_LEG.CALL_ID.eq(id)).orderBy(CALL_LEG.CREATED_AT).fetch()) {
            Leg leg = new Leg(legRow.getChannelId(), Leg.Role.valueOf(legRow.getRole().toUpperCase(java.util.Locale.ROOT)),
                    legRow.getEndpoint(), legRow.getNumber(), legRow.getAgentId(), legRow.getCreatedAt().toInstant());
            leg.answeredAt = instant(legRow.getAnsweredAt());
            leg.endedAt = instant(legRow.getEndedAt());
            leg.hangupCause = legRow.getHangupCause();
            leg.hangupCauseText = legRow.getHangupCauseText();
            leg.leaveReason = legRow.getLeaveReason();
            leg.joinedAt = instant(legRow.getJoinedAt());
            call.addLeg(leg);
        }
        return Optional.of(call);
    }

    /**
     * The recording the call's bridge runs and whether it was paused, for the instance that adopts the call (which
     * asks Asterisk whether it still runs). One started while the database was away has no row: it is named as the
     * recorder names the next one.
     */
    private void restoreRecording(Call call, String recordingState) {
        List<org.jooq.Record2<String, OffsetDateTime>> rows = db.select(RECORDING.NAME, RECORDING.ENDED_AT)
                .from(RECORDING).where(RECORDING.CALL_ID.eq(call.id)).orderBy(RECORDING.STARTED_AT).fetch();
        call.recordingCount = rows.size();
        call.recordingName = rows.stream().filter(r -> r.value2() == null).map(org.jooq.Record2::value1)
                .reduce((first, last) -> last).orElse(null);
        if (call.recordingName == null && recordingState != null) {
            call.recordingName = Recordings.nameFor(call.id, call.recordingCount++);
        }
        call.recordingMuted = "paused".equals(recordingState);
        if (call.recordingName != null && call.teamId != null) {
            // A party conferenced in after the adoption hears the consent as one added before it would have.
            String announcement = db.select(TEAM.RECORDING_ANNOUNCEMENT).from(TEAM).where(TEAM.ID.eq(call.teamId))
                    .fetchOne(TEAM.RECORDING_ANNOUNCEMENT);
            call.recordingAnnouncement = announcement == null || announcement.isBlank() ? null : announcement;
        }
    }

    /** See {@link CallRowsRepository#inMemory}. */
    @Override
    public CallView view(Call call, List<Call.Transition> history) {
        return CallRowsRepository.inMemory(call, history);
    }

    /** Who may see which calls: everything, a team's calls, and/or the calls an agent took part in. */
    public record Scope(boolean all, UUID teamId, UUID agentId) {

        /** The rule of {@link #visibleIn} for a call read from memory: the same calls answer, the others are 404. */
        public boolean sees(CallView call) {
            return all || (teamId != null && teamId.equals(call.teamId()))
                    || (agentId != null && (agentId.equals(call.agentId())
                    || call.legs().stream().anyMatch(leg -> agentId.equals(leg.agentId()))));
        }
    }

    private static Condition visibleIn(Scope scope) {
        if (scope.all()) {
            return DSL.noCondition();
        }
        Condition visible = DSL.falseCondition();
        if (scope.teamId() != null) {
            visible = visible.or(CALL.TEAM_ID.eq(scope.teamId()));
        }
        if (scope.agentId() != null) {
            visible = visible.or(CALL.AGENT_ID.eq(scope.agentId())).or(DSL.exists(DSL.selectOne().from(CALL_LEG)
                    .where(CALL_LEG.CALL_ID.eq(CALL.ID).and(CALL_LEG.AGENT_ID.eq(scope.agentId())))));
        }
        return visible;
    }

    /** What access checks and dispositions need to know about a call. */
    public record Summary(UUID id, UUID teamId, java.util.Set<UUID> agentIds, String otherParty) {
    }

    public Optional<Summary> summary(UUID id) {
        return db.selectFrom(CALL).where(CALL.ID.eq(id)).fetchOptional().map(row -> {
            java.util.Set<UUID> agents = new java.util.HashSet<>(db.select(CALL_LEG.AGENT_ID).from(CALL_LEG)
                    .where(CALL_LEG.CALL_ID.eq(id).and(CALL_LEG.AGENT_ID.isNotNull())).fetch(CALL_LEG.AGENT_ID));
            if (row.getAgentId() != null) {
                agents.add(row.getAgentId());
            }
            String other = "inbound".equals(row.getDirection()) ? row.getFromNumber() : row.getToNumber();
            return new Summary(id, row.getTeamId(), agents, other);
        });
    }

    public Optional<CallView> find(UUID id, Scope scope) {
        return db.selectFrom(CALL).where(CALL.ID.eq(id)).and(visibleIn(scope)).fetchOptional()
                .map(row -> toView(row, legsOf(List.of(id)).getOrDefault(id, List.of()), eventsOf(id),
                        recordingsOf(List.of(id)).contains(id)));
    }

    /**
     * Newest first, keyset-paginated on (created_at, id) so inserts never shift or repeat rows across pages. Everyone
     * but an administrator sees a union: the team's calls (managers), the calls they took and the calls they had a
     * leg in (rung, transferred to, conferenced). Each part is read in the page's own order from an index of its own
     * and cut at the page's size before they are merged, so a page costs the same for an agent with twenty calls
     * as for one with a million, and on page one as on page ten thousand (BENCHMARKS.md, "Call history").
     */
    public List<CallView> page(int limit, Instant beforeCreatedAt, UUID beforeId, Scope scope) {
        List<CallRecord> rows;
        if (scope.all()) {
            rows = db.selectFrom(CALL).where(before(CALL.CREATED_AT, CALL.ID, beforeCreatedAt, beforeId))
                    .orderBy(CALL.CREATED_AT.desc(), CALL.ID.desc()).limit(limit).fetch();
        } else {
            List<org.jooq.Select<org.jooq.Record2<OffsetDateTime, UUID>>> parts = new java.util.ArrayList<>();
            if (scope.teamId() != null) {
                parts.add(newestOf(CALL.TEAM_ID.eq(scope.teamId()), beforeCreatedAt, beforeId, limit));
            }
            if (scope.agentId() != null) {
                parts.add(newestOf(CALL.AGENT_ID.eq(scope.agentId()), beforeCreatedAt, beforeId, limit));
                // distinct: an agent rung twice in one call has two legs in it, and the page needs `limit` calls.
                parts.add(db.selectDistinct(CALL_LEG.CALL_CREATED_AT, CALL_LEG.CALL_ID).from(CALL_LEG)
                        .where(CALL_LEG.AGENT_ID.eq(scope.agentId()))
                        .and(before(CALL_LEG.CALL_CREATED_AT, CALL_LEG.CALL_ID, beforeCreatedAt, beforeId))
                        .orderBy(CALL_LEG.CALL_CREATED_AT.desc(), CALL_LEG.CALL_ID.desc()).limit(limit));
            }
            if (parts.isEmpty()) {
                return List.of();
            }
            org.jooq.Select<org.jooq.Record2<OffsetDateTime, UUID>> visible = parts.getFirst();
            for (org.jooq.Select<org.jooq.Record2<OffsetDateTime, UUID>> part : parts.subList(1, parts.size())) {
                visible = visible.union(part);
            }
            var candidates = visible.asTable("visible", "created_at", "id");
            rows = db.selectFrom(CALL).where(CALL.ID.in(db.select(candidates.field("id", UUID.class)).from(candidates)))
                    .orderBy(CALL.CREATED_AT.desc(), CALL.ID.desc()).limit(limit).fetch();
        }
        List<UUID> ids = rows.stream().map(CallRecord::getId).toList();
        Map<UUID, List<CallView.LegView>> legs = legsOf(ids);
        java.util.Set<UUID> recorded = recordingsOf(ids);
        return rows.stream().map(row -> toView(row, legs.getOrDefault(row.getId(), List.of()), List.of(),
                recorded.contains(row.getId()))).toList();
    }

    private org.jooq.Select<org.jooq.Record2<OffsetDateTime, UUID>> newestOf(Condition whose, Instant beforeCreatedAt,
                                                                           UUID beforeId, int limit) {
        return db.select(CALL.CREATED_AT, CALL.ID).from(CALL).where(whose)
                .and(before(CALL.CREATED_AT, CALL.ID, beforeCreatedAt, beforeId))
                .orderBy(CALL.CREATED_AT.desc(), CALL.ID.desc()).limit(limit);
    }

    private static Condition before(org.jooq.Field<OffsetDateTime> createdAt, org.jooq.Field<UUID> id,
                                    Instant beforeCreatedAt, UUID beforeId) {
        return beforeCreatedAt == null ? DSL.noCondition()
                : DSL.row(createdAt, id).lt(odt(beforeCreatedAt), beforeId);
    }

    public boolean selectableDisposition(String code) {
        return code != null && db.fetchExists(DISPOSITION_CODE,
                DISPOSITION_CODE.CODE.eq(code).and(DISPOSITION_CODE.AGENT_SELECTABLE.isTrue()));
    }

    public List<String[]> dispositionCodes() {
        return db.selectFrom(DISPOSITION_CODE).where(DISPOSITION_CODE.AGENT_SELECTABLE.isTrue())
                .orderBy(DISPOSITION_CODE.CODE).fetch(row -> new String[] {row.getCode(), row.getLabel()});
    }

    public void dispose(UUID callId, String code, String note, UUID userId) {
        db.update(CALL)
                .set(CALL.DISPOSITION, code)
                .set(CALL.DISPOSITION_NOTE, note)
                .set(CALL.DISPOSED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(CALL.DISPOSED_BY, userId)
                .where(CALL.ID.eq(callId))
                .execute();
    }

    /** The newest finished recording of a call: its file name (without directory) and format. */
    public Optional<RecordingFile> recording(UUID callId) {
        return db.selectFrom(RECORDING).where(RECORDING.CALL_ID.eq(callId).and(RECORDING.ENDED_AT.isNotNull())
                        .and(RECORDING.DELETED_AT.isNull()))
                .orderBy(RECORDING.STARTED_AT.desc()).limit(1)
                .fetchOptional(row -> new RecordingFile(row.getName(), row.getFormat(), row.getSizeBytes()));
    }

    public record RecordingFile(String name, String format, Long sizeBytes) {
    }

    @Override
    public void recordingStarted(UUID callId, String name, String format, Instant at) {
        db.insertInto(RECORDING)
                .set(RECORDING.ID, UUID.randomUUID())
                .set(RECORDING.CALL_ID, callId)
                .set(RECORDING.NAME, name)
                .set(RECORDING.FORMAT, format)
                .set(RECORDING.STARTED_AT, odt(at))
                .onConflict(RECORDING.NAME).doNothing()
                .execute();
    }

    @Override
    public void recordingFinished(String name, Instant at, Recordings.FileFacts facts, boolean recovered) {
        Optional<UUID> callId = Recordings.callIdOf(name);
        if (callId.isEmpty() || !db.fetchExists(CALL, CALL.ID.eq(callId.get()))) {
            return;
        }
        // A file Asterisk wrote whose start we never saved (crash between the two) still gets its row.
        db.insertInto(RECORDING)
                .set(RECORDING.ID, UUID.randomUUID())
                .set(RECORDING.CALL_ID, callId.get())
                .set(RECORDING.NAME, name)
                .set(RECORDING.FORMAT, Recordings.FORMAT)
                .set(RECORDING.STARTED_AT, odt(at.minusMillis(facts.durationMillis())))
                .onConflict(RECORDING.NAME).doNothing()
                .execute();
        db.update(RECORDING)
                .set(RECORDING.ENDED_AT, odt(at))
                .set(RECORDING.DURATION_MS, facts.durationMillis())
                .set(RECORDING.SIZE_BYTES, facts.sizeBytes())
                .set(RECORDING.SHA256, facts.sha256())
                .set(RECORDING.RECOVERED, recovered)
                .where(RECORDING.NAME.eq(name).and(RECORDING.ENDED_AT.isNull()))
                .execute();
    }

    public boolean recordingKnown(String name) {
        return db.fetchExists(RECORDING, RECORDING.NAME.eq(name).and(RECORDING.ENDED_AT.isNotNull()));
    }

    @Override
    public Optional<Instant> agentAnsweredAt(UUID callId) {
        return db.select(CALL.ANSWERED_AT).from(CALL)
                .where(CALL.ID.eq(callId).and(CALL.ORIGIN.eq(CallRowsRepository.lower(Origin.DIALLED_LEAD.name())))
                        .and(CALL.ANSWERED_AT.isNotNull()))
                .fetchOptional(CALL.ANSWERED_AT).map(java.time.OffsetDateTime::toInstant);
    }

    public boolean callEnded(UUID callId) {
        return db.fetchExists(CALL, CALL.ID.eq(callId).and(CALL.ENDED_AT.isNotNull()));
    }

    /** Recordings older than the retention whose files still exist: name and format. */
    public List<String[]> recordingsOlderThan(Instant before) {
        return db.select(RECORDING.NAME, RECORDING.FORMAT).from(RECORDING)
                .where(RECORDING.ENDED_AT.lt(odt(before)).and(RECORDING.DELETED_AT.isNull()))
                .fetch(row -> new String[] {row.value1(), row.value2()});
    }

    public void recordingDeleted(String name, Instant at) {
        db.update(RECORDING).set(RECORDING.DELETED_AT, odt(at)).where(RECORDING.NAME.eq(name)).execute();
    }

    private java.util.Set<UUID> recordingsOf(List<UUID> callIds) {
        return new java.util.HashSet<>(db.selectDistinct(RECORDING.CALL_ID).from(RECORDING)
                .where(RECORDING.CALL_ID.in(callIds).and(RECORDING.ENDED_AT.isNotNull()).and(RECORDING.DELETED_AT.isNull()))
                .fetch(RECORDING.CALL_ID));
    }

    private Map<UUID, List<CallView.LegView>> legsOf(List<UUID> callIds) {
        return db.selectFrom(CALL_LEG).where(CALL_LEG.CALL_ID.in(callIds)).orderBy(CALL_LEG.CREATED_AT).fetch()
                .stream().collect(Collectors.groupingBy(CallLegRecord::getCallId,
                        Collectors.mapping(CallRowsRepository::legView, Collectors.toList())));
    }

    @Override
    public List<Call.Transition> savedTransitions(UUID callId) {
        return db.selectFrom(CALL_EVENT).where(CALL_EVENT.CALL_ID.eq(callId)).orderBy(CALL_EVENT.ID).fetch(event ->
                new Call.Transition(instant(event.getOccurredAt()), event.getFromState() == null ? null
                        : CallState.valueOf(event.getFromState()), CallState.valueOf(event.getToState()),
                        event.getEvent(), event.getDetail()));
    }

    private List<CallView.EventView> eventsOf(UUID callId) {
        return db.selectFrom(CALL_EVENT).where(CALL_EVENT.CALL_ID.eq(callId)).orderBy(CALL_EVENT.ID).fetch(event ->
                new CallView.EventView(instant(event.getOccurredAt()), event.getFromState(), event.getToState(),
                        event.getEvent(), event.getDetail()));
    }

}
