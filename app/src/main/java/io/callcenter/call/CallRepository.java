package io.callcenter.call;

import io.callcenter.db.tables.records.CallLegRecord;
import io.callcenter.db.tables.records.CallRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
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

@Repository
class CallRepository implements CallStore {

    private final DSLContext db;

    CallRepository(DSLContext db) {
        this.db = db;
    }

    /** Writes the call, its legs and its new transitions in one transaction: never half a state change. */
    @Transactional
    @Override
    public void save(Call call) {
        db.insertInto(CALL)
                .set(CALL.ID, call.id)
                .set(CALL.DIRECTION, call.direction.dbValue())
                .set(CALL.STATE, call.state().name())
                .set(CALL.FROM_NUMBER, call.fromNumber)
                .set(CALL.TO_NUMBER, call.toNumber)
                .set(CALL.AGENT_ID, call.agentId)
                .set(CALL.TEAM_ID, call.teamId)
                .set(CALL.BRIDGE_ID, call.bridgeId)
                .set(CALL.CREATED_AT, odt(call.createdAt))
                .set(CALL.ANSWERED_AT, odt(call.answeredAt))
                .set(CALL.ENDED_AT, odt(call.endedAt))
                .set(CALL.HANGUP_CAUSE, call.hangupCause)
                .onConflict(CALL.ID).doUpdate()
                .set(CALL.STATE, call.state().name())
                .set(CALL.TO_NUMBER, call.toNumber)
                .set(CALL.AGENT_ID, call.agentId)
                .set(CALL.TEAM_ID, call.teamId)
                .set(CALL.ANSWERED_AT, odt(call.answeredAt))
                .set(CALL.ENDED_AT, odt(call.endedAt))
                .set(CALL.HANGUP_CAUSE, call.hangupCause)
                .execute();
        for (Leg leg : call.legs.values()) {
            db.insertInto(CALL_LEG)
                    .set(CALL_LEG.CHANNEL_ID, leg.channelId)
                    .set(CALL_LEG.CALL_ID, call.id)
                    .set(CALL_LEG.ROLE, leg.role.name().toLowerCase(java.util.Locale.ROOT))
                    .set(CALL_LEG.ENDPOINT, leg.endpoint)
                    .set(CALL_LEG.NUMBER, leg.number)
                    .set(CALL_LEG.AGENT_ID, leg.agentId)
                    .set(CALL_LEG.CREATED_AT, odt(leg.createdAt))
                    .set(CALL_LEG.ANSWERED_AT, odt(leg.answeredAt))
                    .set(CALL_LEG.ENDED_AT, odt(leg.endedAt))
                    .set(CALL_LEG.HANGUP_CAUSE, leg.hangupCause)
                    .set(CALL_LEG.HANGUP_CAUSE_TEXT, leg.hangupCauseText)
                    .onConflict(CALL_LEG.CHANNEL_ID).doUpdate()
                    .set(CALL_LEG.ANSWERED_AT, odt(leg.answeredAt))
                    .set(CALL_LEG.ENDED_AT, odt(leg.endedAt))
                    .set(CALL_LEG.HANGUP_CAUSE, leg.hangupCause)
                    .set(CALL_LEG.HANGUP_CAUSE_TEXT, leg.hangupCauseText)
                    .execute();
        }
        for (Call.Transition transition : call.drainTransitions()) {
            db.insertInto(CALL_EVENT)
                    .set(CALL_EVENT.CALL_ID, call.id)
                    .set(CALL_EVENT.OCCURRED_AT, odt(transition.at()))
                    .set(CALL_EVENT.FROM_STATE, transition.from() == null ? null : transition.from().name())
                    .set(CALL_EVENT.TO_STATE, transition.to().name())
                    .set(CALL_EVENT.EVENT, transition.event())
                    .set(CALL_EVENT.DETAIL, transition.detail())
                    .execute();
        }
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
        Call call = new Call(row.getId(), Direction.fromDb(row.getDirection()), CallState.valueOf(row.getState()),
                row.getFromNumber(), row.getToNumber(), row.getCreatedAt().toInstant());
        call.agentId = row.getAgentId();
        call.teamId = row.getTeamId();
        call.answeredAt = instant(row.getAnsweredAt());
        call.hangupCause = row.getHangupCause();
        call.bridgeCreated = true;
        for (CallLegRecord legRow : db.selectFrom(CALL_LEG).where(CALL_LEG.CALL_ID.eq(id)).orderBy(CALL_LEG.CREATED_AT).fetch()) {
            Leg leg = new Leg(legRow.getChannelId(), Leg.Role.valueOf(legRow.getRole().toUpperCase(java.util.Locale.ROOT)),
                    legRow.getEndpoint(), legRow.getNumber(), legRow.getAgentId(), legRow.getCreatedAt().toInstant());
            leg.answeredAt = instant(legRow.getAnsweredAt());
            leg.endedAt = instant(legRow.getEndedAt());
            leg.hangupCause = legRow.getHangupCause();
            leg.hangupCauseText = legRow.getHangupCauseText();
            call.addLeg(leg);
        }
        return Optional.of(call);
    }

    Optional<CallView> find(UUID id) {
        return db.selectFrom(CALL).where(CALL.ID.eq(id)).fetchOptional()
                .map(row -> toView(row, legsOf(List.of(id)).getOrDefault(id, List.of()), eventsOf(id)));
    }

    /** Newest first, keyset-paginated on (created_at, id) so inserts never shift or repeat rows across pages. */
    List<CallView> page(int limit, Instant beforeCreatedAt, UUID beforeId) {
        Condition condition = DSL.noCondition();
        if (beforeCreatedAt != null) {
            condition = DSL.row(CALL.CREATED_AT, CALL.ID).lt(odt(beforeCreatedAt), beforeId);
        }
        List<CallRecord> rows = db.selectFrom(CALL).where(condition)
                .orderBy(CALL.CREATED_AT.desc(), CALL.ID.desc()).limit(limit).fetch();
        Map<UUID, List<CallView.LegView>> legs = legsOf(rows.stream().map(CallRecord::getId).toList());
        return rows.stream().map(row -> toView(row, legs.getOrDefault(row.getId(), List.of()), List.of())).toList();
    }

    private Map<UUID, List<CallView.LegView>> legsOf(List<UUID> callIds) {
        return db.selectFrom(CALL_LEG).where(CALL_LEG.CALL_ID.in(callIds)).orderBy(CALL_LEG.CREATED_AT).fetch()
                .stream().collect(Collectors.groupingBy(CallLegRecord::getCallId, Collectors.mapping(leg -> new CallView.LegView(
                        leg.getChannelId(), leg.getRole(), leg.getEndpoint(), leg.getNumber(), leg.getAgentId(),
                        instant(leg.getCreatedAt()), instant(leg.getAnsweredAt()), instant(leg.getEndedAt()),
                        leg.getHangupCause(), leg.getHangupCauseText()), Collectors.toList())));
    }

    private List<CallView.EventView> eventsOf(UUID callId) {
        return db.selectFrom(CALL_EVENT).where(CALL_EVENT.CALL_ID.eq(callId)).orderBy(CALL_EVENT.ID).fetch(event ->
                new CallView.EventView(instant(event.getOccurredAt()), event.getFromState(), event.getToState(),
                        event.getEvent(), event.getDetail()));
    }

    private static CallView toView(CallRecord row, List<CallView.LegView> legs, List<CallView.EventView> events) {
        return new CallView(row.getId(), row.getDirection(), row.getState(), row.getFromNumber(), row.getToNumber(),
                row.getAgentId(), row.getTeamId(), instant(row.getCreatedAt()), instant(row.getAnsweredAt()),
                instant(row.getEndedAt()), row.getHangupCause(), row.getDurationSeconds(), legs, events);
    }

    private static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
