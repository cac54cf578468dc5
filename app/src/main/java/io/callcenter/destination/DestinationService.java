package io.callcenter.destination;

import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.ops.LastKnown;
import io.callcenter.routing.memory.RoutingMemory;
import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Inbound routing as configured: where each DID goes and the schedules in between. Administrators configure every
 * team's, managers their own team's (another team's schedule or number answers 404). Every destination is checked
 * before it is saved: its target exists and belongs to the same team, and schedules never lead round in a circle.
 */
@Service
public class DestinationService implements InboundRoutes {

    /** A destination as the API takes and shows it. */
    public record DestinationJson(String kind, String target) {
        static DestinationJson of(Destination destination) {
            return destination == null ? null : new DestinationJson(destination.kind(), destination.target());
        }
    }

    public record PeriodJson(String day, String opens, String closes) {
    }

    public record ExceptionJson(String name, String starts, String ends, DestinationJson destination) {
    }

    public record ScheduleJson(UUID id, UUID teamId, String name, String zone, List<PeriodJson> periods,
                               DestinationJson open, List<ExceptionJson> exceptions, DestinationJson closed) {
        static ScheduleJson of(Schedule s) {
            return new ScheduleJson(s.id(), s.teamId(), s.name(), s.zone().getId(),
                    s.periods().stream().map(p -> new PeriodJson(p.day().name(), p.opens().toString(), p.closes().toString())).toList(),
                    DestinationJson.of(s.open()),
                    s.exceptions().stream().map(e -> new ExceptionJson(e.name(), e.starts().toString(), e.ends().toString(),
                            DestinationJson.of(e.destination()))).toList(),
                    DestinationJson.of(s.closed()));
        }
    }

    private final DestinationRepository repository;
    private final LastKnown<String, Optional<Destination>> numberDestinations = new LastKnown<>();
    private final LastKnown<UUID, Optional<Schedule>> knownSchedules = new LastKnown<>();
    private final LastKnown<UUID, Optional<VoiceMenu>> knownMenus = new LastKnown<>();
    private final TeamOwned<Schedule, ScheduleJson> schedules;
    private final TeamOwned<VoiceMenu, MenuJson> menus;

    DestinationService(DestinationRepository repository) {
        this.repository = repository;
        this.schedules = new TeamOwned<>("schedule", repository::schedules, repository::schedule, Schedule::teamId,
                Schedule::name, DestinationService::parse, this::check, repository::save, repository::delete,
                Destination.Schedule::new, ScheduleJson::of, this::refuseInUse);
        this.menus = new TeamOwned<>("menu", repository::menus, repository::menu, VoiceMenu::teamId, VoiceMenu::name,
                DestinationService::parseMenu, this::checkMenu, repository::save, repository::deleteMenu,
                Destination.Menu::new, MenuJson::of, this::refuseInUse);
    }

    public record MenuJson(UUID id, UUID teamId, String name, String prompt, java.util.Map<String, DestinationJson> choices,
                           Integer timeoutSeconds, Integer maxTries, DestinationJson onInvalid, DestinationJson onTimeout) {
        static MenuJson of(VoiceMenu m) {
            java.util.Map<String, DestinationJson> choices = new java.util.TreeMap<>();
            m.choices().forEach((key, destination) -> choices.put(key, DestinationJson.of(destination)));
            return new MenuJson(m.id(), m.teamId(), m.name(), m.prompt(), choices, (int) m.timeout().toSeconds(),
                    m.maxTries(), DestinationJson.of(m.onInvalid()), DestinationJson.of(m.onTimeout()));
        }
    }

    @Override
    public Optional<Route> route(String e164, Instant at) {
        return route(e164, at, RoutingMemory.Recall.THROUGH);
    }

    @Override
    public Optional<Route> route(String e164, Instant at, RoutingMemory.Recall memory) {
        // Read through to the last known copy so a new call is routed while the database is away; the schedules
        // themselves are still followed at the call's instant (their hours are data, only the decision is per call).
        return memory.<Optional<Destination>>recall("number destination", e164,
                        () -> numberDestinations.read(e164, () -> repository.numberDestination(e164)))
                .map(start -> Routes.resolve(start, at,
                        id -> memory.<Optional<Schedule>>recall("schedule", id, () -> knownSchedule(id))));
    }

    @Override
    public Route follow(Destination from, Instant at) {
        return Routes.resolve(from, at, this::knownSchedule);
    }

    @Override
    public Optional<VoiceMenu> menu(UUID menuId) {
        return knownMenus.read(menuId, () -> repository.menu(menuId));
    }

    private Optional<Schedule> knownSchedule(UUID id) {
        return knownSchedules.read(id, () -> repository.schedule(id));
    }

    // ---------------------------------------------------------------- schedules

    public List<ScheduleJson> schedules(Caller caller) {
        return schedules.list(caller);
    }

    public ScheduleJson schedule(Caller caller, UUID id) {
        return schedules.get(caller, id);
    }

    @Transactional
    public ScheduleJson create(Caller caller, ScheduleJson request) {
        return schedules.create(caller, request.teamId(), request);
    }

    @Transactional
    public ScheduleJson update(Caller caller, UUID id, ScheduleJson request) {
        return schedules.update(caller, id, request);
    }

    @Transactional
    public void delete(Caller caller, UUID id) {
        schedules.delete(caller, id);
    }

    /** Refuses (409 problem naming them) to delete what a number, schedule or menu of the team still leads to. */
    public void refuseInUse(Destination self, String what, UUID teamId) {
        List<String> users = new ArrayList<>(repository.numbersUsing(self));
        repository.schedules(teamId).stream().filter(other -> other.destinations().contains(self))
                .forEach(other -> users.add("schedule " + other.name()));
        repository.menus(teamId).stream().filter(other -> other.destinations().contains(self))
                .forEach(other -> users.add("menu " + other.name()));
        if (!users.isEmpty()) {
            throw ApiProblem.conflict("destination-in-use", "Destination in use",
                    what + " is still used by " + String.join(", ", users)).with("usedBy", users);
        }
    }

    // ---------------------------------------------------------------- menus

    public List<MenuJson> menus(Caller caller) {
        return menus.list(caller);
    }

    public MenuJson menu(Caller caller, UUID id) {
        return menus.get(caller, id);
    }

    @Transactional
    public MenuJson createMenu(Caller caller, MenuJson request) {
        return menus.create(caller, request.teamId(), request);
    }

    @Transactional
    public MenuJson updateMenu(Caller caller, UUID id, MenuJson request) {
        return menus.update(caller, id, request);
    }

    @Transactional
    public void deleteMenu(Caller caller, UUID id) {
        menus.delete(caller, id);
    }

    private void checkMenu(VoiceMenu menu) {
        if (repository.menuNameTaken(menu.teamId(), menu.name(), menu.id())) {
            throw ApiProblem.conflict("name-taken", "Name taken", "The team already has a menu named " + menu.name());
        }
        menu.choices().forEach((key, destination) -> checkTarget(destination, menu.teamId(), "choices." + key));
        checkTarget(menu.onInvalid(), menu.teamId(), "onInvalid");
        checkTarget(menu.onTimeout(), menu.teamId(), "onTimeout");
        Routes.refuseCycles(new Destination.Menu(menu.id()), "Menu " + menu.name(), menu.destinations(), this::leadsTo);
    }

    /** Where a schedule or menu leads now (for cycles); anything else leads nowhere further. */
    private List<Destination> leadsTo(Destination destination) {
        return switch (destination) {
            case Destination.Schedule s -> repository.schedule(s.scheduleId()).map(Schedule::destinations).orElse(List.of());
            case Destination.Menu m -> repository.menu(m.menuId()).map(VoiceMenu::destinations).orElse(List.of());
            default -> List.of();
        };
    }

    private static VoiceMenu parseMenu(UUID id, UUID teamId, MenuJson request) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
            throw ApiProblem.badRequest("name is required (at most 100 characters)");
        }
        if (request.prompt() == null || !Destination.SOUND.matcher(request.prompt()).matches()) {
            throw ApiProblem.badRequest("prompt: an Asterisk sound such as sound:demo-congrats is required");
        }
        java.util.Map<String, Destination> choices = new java.util.TreeMap<>();
        (request.choices() == null ? java.util.Map.<String, DestinationJson>of() : request.choices()).forEach((key, choice) -> {
            if (!VoiceMenu.KEY.matcher(key).matches()) {
                throw ApiProblem.badRequest("choices: keys are 0-9, * or #, not '" + key + "'");
            }
            if (choice == null) {
                throw ApiProblem.badRequest("choices." + key + ": a destination is required");
            }
            choices.put(key, Destination.of(choice.kind(), choice.target(), "choices." + key));
        });
        int timeout = request.timeoutSeconds() == null ? 5 : request.timeoutSeconds();
        int tries = request.maxTries() == null ? 3 : request.maxTries();
        if (timeout < 1 || timeout > 60 || tries < 1 || tries > 10) {
            throw ApiProblem.badRequest("timeoutSeconds is 1-60 and maxTries 1-10");
        }
        if (request.onInvalid() == null || request.onTimeout() == null) {
            throw ApiProblem.badRequest("onInvalid and onTimeout: where callers go after too many invalid keys or silences");
        }
        return new VoiceMenu(id, teamId, request.name().trim(), request.prompt(), choices, java.time.Duration.ofSeconds(timeout),
                tries, Destination.of(request.onInvalid().kind(), request.onInvalid().target(), "onInvalid"),
                Destination.of(request.onTimeout().kind(), request.onTimeout().target(), "onTimeout"));
    }

    // ---------------------------------------------------------------- numbers

    public DestinationJson numberDestination(Caller caller, String e164) {
        visibleNumber(caller, e164);
        return repository.numberDestination(e164).map(DestinationJson::of).orElse(null);
    }

    /** Points the number at a destination; {@code request} null: back to the team's default (its queue or agents). */
    @Transactional
    public DestinationJson setNumberDestination(Caller caller, String e164, DestinationJson request) {
        UUID teamId = visibleNumber(caller, e164);
        Destination destination = request == null ? null : Destination.of(request.kind(), request.target(), "destination");
        if (destination != null) {
            checkTarget(destination, teamId, "destination");
        }
        repository.setNumberDestination(e164, destination);
        return DestinationJson.of(destination);
    }

    // ---------------------------------------------------------------- checks

    private UUID visibleNumber(Caller caller, String e164) {
        caller.require(Permissions.INBOUND_WRITE);
        return repository.numberTeam(e164).filter(caller::seesTeam)
                .orElseThrow(() -> ApiProblem.notFound("No number " + e164));
    }

    private void check(Schedule schedule) {
        if (repository.nameTaken(schedule.teamId(), schedule.name(), schedule.id())) {
            throw ApiProblem.conflict("name-taken", "Name taken", "The team already has a schedule named " + schedule.name());
        }
        checkTarget(schedule.open(), schedule.teamId(), "open");
        checkTarget(schedule.closed(), schedule.teamId(), "closed");
        for (Schedule.Exceptional exceptional : schedule.exceptions()) {
            checkTarget(exceptional.destination(), schedule.teamId(), "exceptions[" + exceptional.name() + "]");
        }
        Routes.refuseCycles(new Destination.Schedule(schedule.id()), "Schedule " + schedule.name(), schedule.destinations(),
                this::leadsTo);
    }

    /** The target exists and is the same team's: a team never sends calls into another team's agents or queues. */
    private void checkTarget(Destination destination, UUID teamId, String field) {
        Optional<UUID> owner = switch (destination) {
            case Destination.Agent agent -> repository.agentTeam(agent.agentId());
            case Destination.Queue queue -> repository.queueTeam(queue.queueId());
            case Destination.Schedule schedule -> repository.schedule(schedule.scheduleId()).map(Schedule::teamId);
            case Destination.Menu menu -> repository.menu(menu.menuId()).map(VoiceMenu::teamId);
            case Destination.Voicemail box -> repository.voicemailBoxTeam(box.boxId());
            case Destination.Announcement ignored -> Optional.of(teamId);
            case Destination.Number ignored -> Optional.of(teamId);
        };
        if (owner.filter(teamId::equals).isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "unknown-destination", "Unknown destination",
                    field + ": the team has no " + destination.kind() + " " + destination.target())
                    .with("field", field);
        }
    }

    private static Schedule parse(UUID id, UUID teamId, ScheduleJson request) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
            throw ApiProblem.badRequest("name is required (at most 100 characters)");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(request.zone() == null ? "" : request.zone());
        } catch (DateTimeException e) {
            throw ApiProblem.badRequest("zone must be a time zone such as Europe/Berlin, not '" + request.zone() + "'");
        }
        if (request.open() == null) {
            throw ApiProblem.badRequest("open: where calls go during open periods is required");
        }
        if (request.closed() == null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "closed-destination-required", "Closed destination required",
                    "closed: a schedule needs a destination for when it is closed");
        }
        List<Schedule.Period> periods = new ArrayList<>();
        for (PeriodJson p : request.periods() == null ? List.<PeriodJson>of() : request.periods()) {
            try {
                Schedule.Period period = new Schedule.Period(DayOfWeek.valueOf(p.day().toUpperCase(Locale.ROOT)),
                        LocalTime.parse(p.opens()), LocalTime.parse(p.closes()));
                if (!period.opens().isBefore(period.closes())) {
                    throw ApiProblem.badRequest("periods: " + p.day() + " opens before it closes (split a period past midnight)");
                }
                periods.add(period);
            } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
                throw ApiProblem.badRequest("periods: day MONDAY..SUNDAY, opens and closes as HH:MM, not " + p);
            }
        }
        List<Schedule.Exceptional> exceptions = new ArrayList<>();
        for (ExceptionJson e : request.exceptions() == null ? List.<ExceptionJson>of() : request.exceptions()) {
            if (e.destination() == null || e.name() == null || e.name().isBlank()) {
                throw ApiProblem.badRequest("exceptions: each needs a name and a destination");
            }
            try {
                LocalDateTime starts = LocalDateTime.parse(e.starts());
                LocalDateTime ends = LocalDateTime.parse(e.ends());
                if (!starts.isBefore(ends)) {
                    throw ApiProblem.badRequest("exceptions: " + e.name() + " must start before it ends");
                }
                exceptions.add(new Schedule.Exceptional(e.name(), starts, ends,
                        Destination.of(e.destination().kind(), e.destination().target(), "exceptions[" + e.name() + "]")));
            } catch (DateTimeParseException | NullPointerException ex) {
                throw ApiProblem.badRequest("exceptions: starts and ends as local date-times such as 2026-12-25T00:00");
            }
        }
        return new Schedule(id, teamId, request.name().trim(), zone, periods,
                Destination.of(request.open().kind(), request.open().target(), "open"), exceptions,
                Destination.of(request.closed().kind(), request.closed().target(), "closed"));
    }
}
