package io.callcenter.call.store;

import io.callcenter.call.model.Call;
import io.callcenter.call.model.Leg;
import io.callcenter.db.tables.records.CallLegRecord;
import io.callcenter.db.tables.records.CallRecord;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.callcenter.db.Tables.CALL;
import static io.callcenter.db.Tables.CALL_LEG;

/**
 * A call's rows: the columns a {@link Call} is written as, and a view rendered from rows, whether read back from
 * the database or held in memory ({@link CallRepository#view}): one rendering, so both answer the same JSON. No
 * database access of its own (named a repository because only repositories touch jOOQ).
 */
final class CallRowsRepository {

    private CallRowsRepository() {
    }

    /**
     * A call in memory as the API shows it: the rows its write commits, rendered by {@link #toView} exactly as the
     * saved rows are, so a live call read from the engine and the same call read back from the database agree.
     * {@code history} is every transition of the call, oldest first (what {@code call_event} holds once written).
     * A live call's recording is still being written: its download link comes with the finished recording's row.
     */
    static CallView inMemory(Call call, List<Call.Transition> history) {
        CallRecord row = new CallRecord();
        callRow(call, changingColumns(call)).forEach((field, value) -> setStored(row, field, value));
        row.setDurationSeconds(row.getAnsweredAt() == null || row.getEndedAt() == null ? null
                : (int) Math.max(0, java.time.Duration.between(row.getAnsweredAt(), row.getEndedAt()).toSeconds()));
        List<CallView.LegView> legs = call.legs.values().stream()
                .sorted(java.util.Comparator.comparing((Leg leg) -> leg.createdAt))
                .map(leg -> {
                    CallLegRecord legRow = new CallLegRecord();
                    legRow(call, leg, changingColumns(leg)).forEach((field, value) -> setStored(legRow, field, value));
                    return legView(legRow);
                }).toList();
        List<CallView.EventView> events = history.stream().map(transition -> new CallView.EventView(
                stored(transition.at()),
                transition.from() == null ? null : transition.from().name(), transition.to().name(),
                transition.event(), transition.detail())).toList();
        return toView(row, legs, events, false);
    }

    /** Sets a column of a record held in memory to the value the database would read back. */
    @SuppressWarnings("unchecked")
    static void setStored(org.jooq.Record record, org.jooq.Field<?> field, Object value) {
        record.set((org.jooq.Field<Object>) field, value instanceof OffsetDateTime time ? stored(time) : value);
    }

    /** PostgreSQL keeps timestamps to the microsecond (rounded): a value read back is the value written, rounded. */
    static OffsetDateTime stored(OffsetDateTime time) {
        return time == null ? null : time.plusNanos(500).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    static Instant stored(Instant at) {
        return instant(stored(odt(at)));
    }

    static Map<org.jooq.Field<?>, Object> callRow(Call call, Map<org.jooq.Field<?>, Object> changing) {
        Map<org.jooq.Field<?>, Object> row = new java.util.LinkedHashMap<>(changing);
        row.put(CALL.ID, call.id);
        row.put(CALL.DIRECTION, call.direction.dbValue());
        row.put(CALL.ORIGIN, lower(call.origin.name()));
        row.put(CALL.FROM_NUMBER, call.fromNumber);
        row.put(CALL.BRIDGE_ID, call.bridgeId);
        row.put(CALL.CREATED_AT, odt(call.createdAt));
        row.put(CALL.LEAD_ID, call.leadId);
        return row;
    }

    static Map<org.jooq.Field<?>, Object> legRow(Call call, Leg leg, Map<org.jooq.Field<?>, Object> changing) {
        Map<org.jooq.Field<?>, Object> row = new java.util.LinkedHashMap<>(changing);
        row.put(CALL_LEG.CHANNEL_ID, leg.channelId);
        row.put(CALL_LEG.CALL_ID, call.id);
        row.put(CALL_LEG.ROLE, lower(leg.role.name()));
        row.put(CALL_LEG.ENDPOINT, leg.endpoint);
        row.put(CALL_LEG.NUMBER, leg.number);
        row.put(CALL_LEG.AGENT_ID, leg.agentId);
        row.put(CALL_LEG.CREATED_AT, odt(leg.createdAt));
        return row;
    }

    /** What of a call may change after it is first written (the rest is fixed at its start). */
    static Map<org.jooq.Field<?>, Object> changingColumns(Call call) {
        Map<org.jooq.Field<?>, Object> columns = new java.util.LinkedHashMap<>();
        columns.put(CALL.STATE, call.state().name());
        columns.put(CALL.TO_NUMBER, call.toNumber);
        columns.put(CALL.AGENT_ID, call.agentId);
        columns.put(CALL.TEAM_ID, call.teamId);
        columns.put(CALL.ANSWERED_AT, odt(call.answeredAt));
        columns.put(CALL.ENDED_AT, odt(call.endedAt));
        columns.put(CALL.HANGUP_CAUSE, call.hangupCause);
        columns.put(CALL.RECORDING_STATE, call.recordingState());
        columns.put(CALL.RECORDING_FAILED, call.recordingFailed);
        columns.put(CALL.TRANSFER_MODE, call.transfer == null ? null : lower(call.transfer.mode.name()));
        columns.put(CALL.TRANSFER_STATE, call.transfer == null ? null : lower(call.transfer.state().name()));
        columns.put(CALL.TRANSFER_TARGET, call.transfer == null ? null : call.transfer.target);
        return columns;
    }

    static Map<org.jooq.Field<?>, Object> changingColumns(Leg leg) {
        Map<org.jooq.Field<?>, Object> columns = new java.util.LinkedHashMap<>();
        columns.put(CALL_LEG.JOINED_AT, odt(leg.joinedAt));
        columns.put(CALL_LEG.ANSWERED_AT, odt(leg.answeredAt));
        columns.put(CALL_LEG.ENDED_AT, odt(leg.endedAt));
        columns.put(CALL_LEG.HANGUP_CAUSE, leg.hangupCause);
        columns.put(CALL_LEG.HANGUP_CAUSE_TEXT, leg.hangupCauseText);
        columns.put(CALL_LEG.LEAVE_REASON, leg.leaveReason);
        return columns;
    }

    static CallView.LegView legView(CallLegRecord leg) {
        return new CallView.LegView(leg.getChannelId(), leg.getRole(), leg.getEndpoint(), leg.getNumber(),
                leg.getAgentId(), instant(leg.getCreatedAt()), instant(leg.getAnsweredAt()), instant(leg.getEndedAt()),
                leg.getHangupCause(), leg.getHangupCauseText(), leg.getLeaveReason(), instant(leg.getJoinedAt()));
    }

    static CallView toView(CallRecord row, List<CallView.LegView> legs, List<CallView.EventView> events,
                           boolean recorded) {
        String number = "inbound".equals(row.getDirection()) ? row.getFromNumber() : row.getToNumber();
        return new CallView(row.getId(), row.getDirection(), row.getState(), number, row.getFromNumber(),
                row.getToNumber(), row.getLeadId(), row.getAgentId(), row.getTeamId(), instant(row.getCreatedAt()),
                instant(row.getAnsweredAt()), instant(row.getEndedAt()), row.getHangupCause(), row.getDurationSeconds(),
                row.getDisposition(), row.getDispositionNote(),
                recorded ? "/api/calls/" + row.getId() + "/recording" : null, row.getRecordingState(),
                Boolean.TRUE.equals(row.getRecordingFailed()),
                row.getTransferState() == null ? null : new CallView.TransferView(row.getTransferMode(),
                        row.getTransferState(), row.getTransferTarget()),
                legs, events);
    }

    static String lower(String value) {
        return value.toLowerCase(java.util.Locale.ROOT);
    }

    static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
