package io.callcenter.destination;

import io.callcenter.db.tables.records.ScheduleRecord;
import io.callcenter.db.tables.records.VoiceMenuRecord;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.callcenter.db.Tables.AGENT;
import static io.callcenter.db.Tables.CALL_QUEUE;
import static io.callcenter.db.Tables.SCHEDULE;
import static io.callcenter.db.Tables.TEAM_NUMBER;
import static io.callcenter.db.Tables.VOICE_MENU;
import static io.callcenter.db.Tables.VOICEMAIL_BOX;

/** Schedules, the destinations of DIDs, and the owners of the things a destination can name. */
@Repository
public class DestinationRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record PeriodRow(String day, String opens, String closes) {
    }

    private record ExceptionRow(String name, String starts, String ends, String kind, String target) {
    }

    private final DSLContext db;

    DestinationRepository(DSLContext db) {
        this.db = db;
    }

    // ---------------------------------------------------------------- numbers

    /** The team owning the number, if it is one of ours. */
    Optional<UUID> numberTeam(String e164) {
        return db.select(TEAM_NUMBER.TEAM_ID).from(TEAM_NUMBER).where(TEAM_NUMBER.E164.eq(e164)).fetchOptional(TEAM_NUMBER.TEAM_ID);
    }

    Optional<Destination> numberDestination(String e164) {
        return db.select(TEAM_NUMBER.DESTINATION_KIND, TEAM_NUMBER.DESTINATION_TARGET).from(TEAM_NUMBER)
                .where(TEAM_NUMBER.E164.eq(e164).and(TEAM_NUMBER.DESTINATION_KIND.isNotNull()))
                .fetchOptional(row -> Destination.of(row.value1(), row.value2(), "destination"));
    }

    /** Points the number at a destination; null: back to the team's default. */
    void setNumberDestination(String e164, Destination destination) {
        db.update(TEAM_NUMBER)
                .set(TEAM_NUMBER.DESTINATION_KIND, destination == null ? null : destination.kind())
                .set(TEAM_NUMBER.DESTINATION_TARGET, destination == null ? null : destination.target())
                .where(TEAM_NUMBER.E164.eq(e164)).execute();
    }

    /** Numbers that send their calls straight to this schedule. */
    List<String> numbersUsing(Destination destination) {
        return db.select(TEAM_NUMBER.E164).from(TEAM_NUMBER)
                .where(TEAM_NUMBER.DESTINATION_KIND.eq(destination.kind())
                        .and(TEAM_NUMBER.DESTINATION_TARGET.eq(destination.target())))
                .fetch(TEAM_NUMBER.E164);
    }

    // ---------------------------------------------------------------- owners of targets

    Optional<UUID> agentTeam(UUID agentId) {
        return db.select(AGENT.TEAM_ID).from(AGENT).where(AGENT.ID.eq(agentId)).fetchOptional(AGENT.TEAM_ID);
    }

    Optional<UUID> queueTeam(UUID queueId) {
        return db.select(CALL_QUEUE.TEAM_ID).from(CALL_QUEUE).where(CALL_QUEUE.ID.eq(queueId)).fetchOptional(CALL_QUEUE.TEAM_ID);
    }

    Optional<UUID> voicemailBoxTeam(UUID boxId) {
        return db.select(VOICEMAIL_BOX.TEAM_ID).from(VOICEMAIL_BOX).where(VOICEMAIL_BOX.ID.eq(boxId))
                .fetchOptional(VOICEMAIL_BOX.TEAM_ID);
    }

    // ---------------------------------------------------------------- schedules

    public Optional<Schedule> schedule(UUID id) {
        return db.selectFrom(SCHEDULE).where(SCHEDULE.ID.eq(id)).fetchOptional().map(DestinationRepository::toSchedule);
    }

    /** A team's schedules, or every team's (null). */
    List<Schedule> schedules(UUID teamId) {
        var query = db.selectFrom(SCHEDULE);
        return (teamId == null ? query : query.where(SCHEDULE.TEAM_ID.eq(teamId)))
                .orderBy(SCHEDULE.NAME).fetch().map(DestinationRepository::toSchedule);
    }

    boolean nameTaken(UUID teamId, String name, UUID except) {
        return db.fetchExists(SCHEDULE, SCHEDULE.TEAM_ID.eq(teamId).and(SCHEDULE.NAME.eq(name)).and(SCHEDULE.ID.ne(except)));
    }

    void save(Schedule schedule) {
        ScheduleRecord row = db.newRecord(SCHEDULE);
        row.setId(schedule.id());
        row.setTeamId(schedule.teamId());
        row.setName(schedule.name());
        row.setZone(schedule.zone().getId());
        row.setPeriods(JSONB.valueOf(JSON.writeValueAsString(schedule.periods().stream()
                .map(p -> new PeriodRow(p.day().name(), p.opens().toString(), p.closes().toString())).toList())));
        row.setExceptions(JSONB.valueOf(JSON.writeValueAsString(schedule.exceptions().stream()
                .map(e -> new ExceptionRow(e.name(), e.starts().toString(), e.ends().toString(), e.destination().kind(),
                        e.destination().target())).toList())));
        row.setOpenKind(schedule.open().kind());
        row.setOpenTarget(schedule.open().target());
        row.setClosedKind(schedule.closed().kind());
        row.setClosedTarget(schedule.closed().target());
        db.insertInto(SCHEDULE).set(row).onConflict(SCHEDULE.ID).doUpdate().set(row).execute();
    }

    void delete(UUID id) {
        db.deleteFrom(SCHEDULE).where(SCHEDULE.ID.eq(id)).execute();
    }

    // ---------------------------------------------------------------- voice menus

    private record ChoiceRow(String kind, String target) {
    }

    public Optional<VoiceMenu> menu(UUID id) {
        return db.selectFrom(VOICE_MENU).where(VOICE_MENU.ID.eq(id)).fetchOptional().map(DestinationRepository::toMenu);
    }

    List<VoiceMenu> menus(UUID teamId) {
        var query = db.selectFrom(VOICE_MENU);
        return (teamId == null ? query : query.where(VOICE_MENU.TEAM_ID.eq(teamId)))
                .orderBy(VOICE_MENU.NAME).fetch().map(DestinationRepository::toMenu);
    }

    boolean menuNameTaken(UUID teamId, String name, UUID except) {
        return db.fetchExists(VOICE_MENU, VOICE_MENU.TEAM_ID.eq(teamId).and(VOICE_MENU.NAME.eq(name)).and(VOICE_MENU.ID.ne(except)));
    }

    void save(VoiceMenu menu) {
        VoiceMenuRecord row = db.newRecord(VOICE_MENU);
        row.setId(menu.id());
        row.setTeamId(menu.teamId());
        row.setName(menu.name());
        row.setPrompt(menu.prompt());
        java.util.Map<String, ChoiceRow> choices = new java.util.TreeMap<>();
        menu.choices().forEach((key, destination) -> choices.put(key, new ChoiceRow(destination.kind(), destination.target())));
        row.setChoices(JSONB.valueOf(JSON.writeValueAsString(choices)));
        row.setTimeoutSeconds((int) menu.timeout().toSeconds());
        row.setMaxTries(menu.maxTries());
        row.setInvalidKind(menu.onInvalid().kind());
        row.setInvalidTarget(menu.onInvalid().target());
        row.setTimeoutKind(menu.onTimeout().kind());
        row.setTimeoutTarget(menu.onTimeout().target());
        db.insertInto(VOICE_MENU).set(row).onConflict(VOICE_MENU.ID).doUpdate().set(row).execute();
    }

    void deleteMenu(UUID id) {
        db.deleteFrom(VOICE_MENU).where(VOICE_MENU.ID.eq(id)).execute();
    }

    private static VoiceMenu toMenu(VoiceMenuRecord row) {
        java.util.Map<String, ChoiceRow> rows = JSON.readValue(row.getChoices().data(), new TypeReference<>() {
        });
        java.util.Map<String, Destination> choices = new java.util.TreeMap<>();
        rows.forEach((key, choice) -> choices.put(key, Destination.of(choice.kind(), choice.target(), "choices")));
        return new VoiceMenu(row.getId(), row.getTeamId(), row.getName(), row.getPrompt(), choices,
                java.time.Duration.ofSeconds(row.getTimeoutSeconds()), row.getMaxTries(),
                Destination.of(row.getInvalidKind(), row.getInvalidTarget(), "onInvalid"),
                Destination.of(row.getTimeoutKind(), row.getTimeoutTarget(), "onTimeout"));
    }

    private static Schedule toSchedule(ScheduleRecord row) {
        List<PeriodRow> periods = JSON.readValue(row.getPeriods().data(), new TypeReference<>() {
        });
        List<ExceptionRow> exceptions = JSON.readValue(row.getExceptions().data(), new TypeReference<>() {
        });
        return new Schedule(row.getId(), row.getTeamId(), row.getName(), ZoneId.of(row.getZone()),
                periods.stream().map(p -> new Schedule.Period(DayOfWeek.valueOf(p.day()), LocalTime.parse(p.opens()),
                        LocalTime.parse(p.closes()))).toList(),
                Destination.of(row.getOpenKind(), row.getOpenTarget(), "open"),
                exceptions.stream().map(e -> new Schedule.Exceptional(e.name(), LocalDateTime.parse(e.starts()),
                        LocalDateTime.parse(e.ends()), Destination.of(e.kind(), e.target(), "exception"))).toList(),
                Destination.of(row.getClosedKind(), row.getClosedTarget(), "closed"));
    }
}
