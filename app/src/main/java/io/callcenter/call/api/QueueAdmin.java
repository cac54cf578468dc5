package io.callcenter.call.api;

import io.callcenter.agent.Agent;
import io.callcenter.agent.AgentDirectory;
import io.callcenter.call.queue.QueueRepository;
import io.callcenter.call.queue.QueueSettings;
import io.callcenter.call.queue.QueueSettings.Overflow;
import io.callcenter.call.queue.QueueStrategy;
import io.callcenter.destination.Destination;
import io.callcenter.destination.DestinationService;
import io.callcenter.destination.Routes;
import io.callcenter.identity.Caller;
import io.callcenter.identity.Permissions;
import io.callcenter.voicemail.VoicemailBox;
import io.callcenter.voicemail.VoicemailBoxes;
import io.callcenter.web.ApiProblem;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Queue administration: administrators for every team, managers for their own (another team's queue answers 404).
 * Every setting is checked before it is saved, each exit must be the team's own (an agent's extension, a box), members
 * are agents of the queue's team, and a queue a number, schedule or menu still leads to is not deleted. The running
 * queues take every change at once (the repository tells them once it is committed).
 */
@Service
class QueueAdmin {

    private static final Pattern MOH_CLASS = Pattern.compile("^[a-z0-9_-]{1,40}$");
    private static final String STRATEGIES = String.join(", ",
            Arrays.stream(QueueStrategy.values()).map(QueueStrategy::dbValue).toList());

    /** Where a caller goes who leaves without an agent: {@code kind} announcement, number, agent, voicemail or queue. */
    record ExitJson(String kind, String target) {
        static ExitJson of(Overflow overflow) {
            return new ExitJson(overflow.kind().dbValue(), overflow.target());
        }
    }

    record MemberJson(UUID agentId, String extension, String displayName, Integer level, Boolean loggedIn) {
    }

    /** A queue as the API takes and shows it; a missing setting takes its default. */
    record QueueJson(UUID id, UUID teamId, String name, String strategy, Integer ringTimeoutSeconds,
                     Integer maxWaitSeconds, ExitJson overflow, Integer maxLength, ExitJson whenFull, String noAgent,
                     ExitJson whenNoAgent, Integer wrapUpSeconds, Integer serviceLevelSeconds,
                     Integer announceEverySeconds, String mohClass, Integer priority, Boolean callbackEnabled,
                     List<MemberJson> members) {
    }

    private final QueueRepository queues;
    private final AgentDirectory agents;
    private final DestinationService destinations;
    private final ObjectProvider<VoicemailBoxes> boxes;
    private final Clock clock;

    QueueAdmin(QueueRepository queues, AgentDirectory agents, DestinationService destinations,
               ObjectProvider<VoicemailBoxes> boxes, Clock clock) {
        this.queues = queues;
        this.agents = agents;
        this.destinations = destinations;
        this.boxes = boxes;
        this.clock = clock;
    }

    List<QueueJson> list(Caller caller) {
        caller.require(Permissions.INBOUND_WRITE);
        return queues.all(caller.isAdmin() ? null : caller.teamId()).stream().map(this::json).toList();
    }

    QueueJson get(Caller caller, UUID id) {
        return json(visible(caller, id));
    }

    @Transactional
    QueueJson create(Caller caller, QueueJson request) {
        caller.require(Permissions.INBOUND_WRITE);
        UUID teamId = request.teamId() != null ? request.teamId() : caller.teamId();
        if (teamId == null) {
            throw ApiProblem.badRequest("teamId is required");
        }
        if (!caller.seesTeam(teamId)) {
            throw ApiProblem.notFound("No team with id " + teamId);
        }
        return store(parse(UUID.randomUUID(), teamId, request), request);
    }

    @Transactional
    QueueJson update(Caller caller, UUID id, QueueJson request) {
        QueueSettings existing = visible(caller, id);
        return store(parse(id, existing.teamId(), request), request);
    }

    @Transactional
    void delete(Caller caller, UUID id) {
        QueueSettings queue = visible(caller, id);
        destinations.refuseInUse(new Destination.Queue(id), "Queue " + queue.name(), queue.teamId());
        queues.all(queue.teamId()).stream()
                .filter(other -> queueExits(other).contains(new Destination.Queue(id))).findFirst()
                .ifPresent(other -> {
                    throw ApiProblem.conflict("destination-in-use", "Destination in use", "Queue " + queue.name()
                            + " is still used by queue " + other.name()).with("usedBy", List.of("queue " + other.name()));
                });
        int pending = queues.openCallbackCount(id);
        if (pending > 0) {
            throw ApiProblem.conflict("callbacks-pending", "Callbacks pending",
                    "Queue " + queue.name() + " still has " + pending + " callback(s) to make").with("callbacks", pending);
        }
        queues.delete(id, clock.instant());
    }

    List<MemberJson> members(Caller caller, UUID queueId) {
        return members(visible(caller, queueId));
    }

    @Transactional
    List<MemberJson> saveMember(Caller caller, UUID queueId, UUID agentId, MemberJson request) {
        QueueSettings queue = visible(caller, queueId);
        Agent agent = agents.byId(agentId).filter(a -> queue.teamId().equals(a.teamId()))
                .orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST, "agent-not-in-team", "Agent not in the team",
                        "Agent " + agentId + " is not an agent of the queue's team").with("field", "agentId"));
        int level = request == null || request.level() == null ? 1 : request.level();
        if (level < 1 || level > 9) {
            throw ApiProblem.badRequest("level is 1 (best) to 9, not " + level).with("field", "level");
        }
        boolean loggedIn = request == null || request.loggedIn() == null
                ? queues.members(queueId).stream().filter(m -> m.agentId().equals(agent.id())).findFirst()
                        .map(m -> m.loggedIn()).orElse(true)
                : request.loggedIn();
        queues.saveMember(queueId, agent.id(), level, loggedIn);
        return members(queue);
    }

    @Transactional
    void removeMember(Caller caller, UUID queueId, UUID agentId) {
        visible(caller, queueId);
        if (!queues.removeMember(queueId, agentId)) {
            throw ApiProblem.notFound("No member " + agentId + " in queue " + queueId);
        }
    }

    private QueueJson store(QueueSettings queue, QueueJson request) {
        if (queues.nameTaken(queue.teamId(), queue.name(), queue.id())) {
            throw ApiProblem.conflict("name-taken", "Name taken", "The team already has a queue named " + queue.name());
        }
        checkExit(queue.overflow(), queue.teamId(), "overflow");
        checkExit(queue.entry().whenFull(), queue.teamId(), "whenFull");
        checkExit(queue.entry().whenNoAgent(), queue.teamId(), "whenNoAgent");
        // A queue overflowing into itself, or into one that leads back to it, would pass the caller round for ever.
        Routes.refuseCycles(new Destination.Queue(queue.id()), "Queue " + queue.name(), queueExits(queue),
                next -> next instanceof Destination.Queue(UUID id)
                        ? queues.byId(id).map(QueueAdmin::queueExits).orElse(List.of()) : List.of());
        queues.save(queue);
        queues.setCallbackEnabled(queue.id(), Boolean.TRUE.equals(request.callbackEnabled()));
        return json(queue);
    }

    private QueueSettings visible(Caller caller, UUID id) {
        caller.require(Permissions.INBOUND_WRITE);
        return queues.byId(id).filter(queue -> caller.seesTeam(queue.teamId()))
                .orElseThrow(() -> ApiProblem.notFound("No queue with id " + id));
    }

    private QueueJson json(QueueSettings q) {
        QueueSettings.Entry entry = q.entry();
        return new QueueJson(q.id(), q.teamId(), q.name(), q.strategy().dbValue(), seconds(q.ringTimeout()),
                seconds(q.maxWait()), ExitJson.of(q.overflow()), entry.maxLength(), ExitJson.of(entry.whenFull()),
                entry.refuseWithoutAgents() ? "overflow" : "wait", ExitJson.of(entry.whenNoAgent()),
                q.wrapUp() == null ? null : seconds(q.wrapUp()), seconds(q.serviceLevel()), seconds(q.announceEvery()),
                q.mohClass(), q.priority(), queues.callbackEnabled(q.id()), members(q));
    }

    private List<MemberJson> members(QueueSettings queue) {
        return queues.members(queue.id()).stream().map(member -> {
            Optional<Agent> agent = agents.byId(member.agentId());
            return new MemberJson(member.agentId(), agent.map(Agent::extension).orElse(null),
                    agent.map(Agent::displayName).orElse(null), member.level(), member.loggedIn());
        }).sorted(java.util.Comparator.comparing(MemberJson::level).thenComparing(m -> String.valueOf(m.extension())))
                .toList();
    }

    private static int seconds(Duration duration) {
        return (int) duration.toSeconds();
    }

    // ---------------------------------------------------------------- checks

    private static QueueSettings parse(UUID id, UUID teamId, QueueJson r) {
        if (r.name() == null || r.name().isBlank() || r.name().length() > 100) {
            throw ApiProblem.badRequest("name is required (at most 100 characters)").with("field", "name");
        }
        QueueStrategy strategy;
        try {
            strategy = r.strategy() == null ? QueueStrategy.LONGEST_IDLE : QueueStrategy.fromDb(r.strategy());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("strategy is one of " + STRATEGIES + ", not '" + r.strategy() + "'")
                    .with("field", "strategy");
        }
        int ring = within("ringTimeoutSeconds", r.ringTimeoutSeconds(), 15, 5, 120);
        int maxWait = within("maxWaitSeconds", r.maxWaitSeconds(), 600, 10, 7200);
        int maxLength = within("maxLength", r.maxLength(), 0, 0, 1000);
        int serviceLevel = within("serviceLevelSeconds", r.serviceLevelSeconds(), 20, 1, 3600);
        int announce = within("announceEverySeconds", r.announceEverySeconds(), 30, 0, 3600);
        if (announce > 0 && announce < 5) {
            throw ApiProblem.badRequest("announceEverySeconds is 0 (no announcements) or 5 to 3600").with("field", "announceEverySeconds");
        }
        int priority = within("priority", r.priority(), 0, 0, 9);
        Integer wrapUp = r.wrapUpSeconds() == null ? null : within("wrapUpSeconds", r.wrapUpSeconds(), 0, 0, 3600);
        String moh = r.mohClass() == null || r.mohClass().isBlank() ? "default" : r.mohClass();
        if (!MOH_CLASS.matcher(moh).matches()) {
            throw ApiProblem.badRequest("mohClass is a music-on-hold class name such as default").with("field", "mohClass");
        }
        String noAgent = r.noAgent() == null ? "wait" : r.noAgent();
        if (!noAgent.equals("wait") && !noAgent.equals("overflow")) {
            throw ApiProblem.badRequest("noAgent is wait or overflow, not '" + noAgent + "'").with("field", "noAgent");
        }
        return new QueueSettings(id, teamId, r.name().trim(), strategy, Duration.ofSeconds(ring),
                Duration.ofSeconds(maxWait), Duration.ofSeconds(announce), Duration.ofSeconds(serviceLevel), moh,
                exit(r.overflow(), "overflow"), priority, wrapUp == null ? null : Duration.ofSeconds(wrapUp),
                new QueueSettings.Entry(maxLength, exit(r.whenFull(), "whenFull"), noAgent.equals("overflow"),
                        exit(r.whenNoAgent(), "whenNoAgent")));
    }

    private static int within(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ApiProblem.badRequest(field + " must be between " + min + " and " + max + ", not " + v)
                    .with("field", field);
        }
        return v;
    }

    private static Overflow exit(ExitJson json, String field) {
        if (json == null) {
            return Overflow.NOBODY_AVAILABLE;
        }
        Overflow.Kind kind;
        try {
            kind = Overflow.Kind.valueOf(String.valueOf(json.kind()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(field + ".kind is announcement, number, agent, voicemail or queue, not '"
                    + json.kind() + "'")
                    .with("field", field);
        }
        String target = json.target() == null ? "" : json.target().trim();
        boolean wellFormed = switch (kind) {
            case ANNOUNCEMENT -> Destination.SOUND.matcher(target).matches();
            case NUMBER -> Destination.E164.matcher(target).matches();
            case AGENT -> target.matches("^[0-9]{2,10}$");
            case VOICEMAIL, QUEUE -> target.matches("^[0-9a-fA-F-]{36}$");
        };
        if (!wellFormed) {
            throw ApiProblem.badRequest(field + ": " + switch (kind) {
                case ANNOUNCEMENT -> "an announcement is an Asterisk sound such as sound:vm-nobodyavail";
                case NUMBER -> "a number must be E.164, e.g. +15550100";
                case AGENT -> "an agent is named by their extension, e.g. 1001";
                case VOICEMAIL -> "a voicemail box is named by its id";
                case QUEUE -> "a queue is named by its id";
            }).with("field", field);
        }
        return new Overflow(kind, target);
    }

    /** The exits of a queue into other queues. */
    private static List<Destination> queueExits(QueueSettings queue) {
        return java.util.stream.Stream.of(queue.overflow(), queue.entry().whenFull(), queue.entry().whenNoAgent())
                .filter(exit -> exit.kind() == Overflow.Kind.QUEUE)
                .<Destination>map(exit -> new Destination.Queue(UUID.fromString(exit.target()))).distinct().toList();
    }

    /** An exit to an agent, a box or a queue must be the team's own: a team never sends its callers into another's. */
    private void checkExit(Overflow exit, UUID teamId, String field) {
        Optional<UUID> owner = switch (exit.kind()) {
            case AGENT -> agents.byExtension(exit.target()).map(Agent::teamId);
            case VOICEMAIL -> boxes.getIfAvailable(() -> VoicemailBoxes.NONE).box(UUID.fromString(exit.target()))
                    .flatMap(box -> box.teamId() != null ? Optional.of(box.teamId())
                            : agents.byId(box.agentId()).map(Agent::teamId));
            case QUEUE -> queues.byId(UUID.fromString(exit.target())).map(QueueSettings::teamId);
            case ANNOUNCEMENT, NUMBER -> Optional.of(teamId);
        };
        if (owner.filter(teamId::equals).isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "unknown-destination", "Unknown destination",
                    field + ": the team has no " + exit.kind().dbValue() + " " + exit.target()).with("field", field);
        }
    }
}
