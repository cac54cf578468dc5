package io.callcenter.console;

import io.callcenter.agent.AgentPresence;
import io.callcenter.call.CallUpdated;
import io.callcenter.call.QueueLogged;
import io.callcenter.identity.Permissions;
import io.callcenter.identity.User;
import io.callcenter.routing.Team;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes a team's wallboard to the consoles watching it whenever one of its agents changes state or one of its calls
 * changes. Changes are coalesced for {@link #COALESCE_MS}: a burst (a call answered moves the call and the agent at
 * once) becomes one push, and at 50 events a second a team gets at most ten pushes, each one query round. Campaign
 * switches are not announced by the dialler, so they are checked every {@link #CAMPAIGN_CHECK_SECONDS} seconds on the
 * server and pushed only when they differ.
 */
@Component
class ConsoleEvents extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ConsoleEvents.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final long COALESCE_MS = 100;
    static final long CAMPAIGN_CHECK_SECONDS = 2;

    private final WallboardService wallboards;
    private final Map<UUID, Set<WebSocketSession>> watchers = new ConcurrentHashMap<>();
    private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();
    private final Map<UUID, List<Wallboard.CampaignRow>> campaignsSent = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("console-push").daemon().factory());

    /** Where events are handled: the pusher's thread, off the publisher's (a call's lane). */
    private final java.util.concurrent.Executor offLane;

    @org.springframework.beans.factory.annotation.Autowired
    ConsoleEvents(WallboardService wallboards) {
        this(wallboards, null);
    }

    /** {@code offLane} null: the pusher's thread; tests pass a direct executor to see the effect at once. */
    ConsoleEvents(WallboardService wallboards, java.util.concurrent.Executor offLane) {
        this.wallboards = wallboards;
        this.offLane = offLane != null ? offLane : task -> pusher.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("console event not handled: {}", e.toString());
            }
        });
        pusher.scheduleWithFixedDelay(this::checkCampaigns, CAMPAIGN_CHECK_SECONDS, CAMPAIGN_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        Optional<Team> team = teamOf(session);
        if (team.isEmpty()) {
            // Another team's wallboard is refused like one that does not exist.
            session.close(CloseStatus.POLICY_VIOLATION.withReason("no such team"));
            return;
        }
        WebSocketSession safe = new ConcurrentWebSocketSessionDecorator(session, 5_000, 512 * 1024);
        session.getAttributes().put("safe", safe);
        session.getAttributes().put("team", team.get().id());
        watchers.computeIfAbsent(team.get().id(), id -> ConcurrentHashMap.newKeySet()).add(safe);
        changed(team.get().id());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Object team = session.getAttributes().get("team");
        Object safe = session.getAttributes().get("safe");
        if (team != null && safe != null) {
            watchers.getOrDefault((UUID) team, Set.of()).remove(safe);
        }
    }

    // The listeners run on the publisher's thread, which for calls is the call's lane: the agent's team is read
    // (a database read) on the pusher's thread instead, so a wallboard never delays the next command of a call
    // (the agent's answer waited behind this read in setup2's trace).
    @EventListener
    void on(AgentPresence.StateChanged changed) {
        offLane.execute(() -> wallboards.teamOfAgent(changed.agentId()).ifPresent(this::changed));
    }

    @EventListener
    void on(CallUpdated call) {
        offLane.execute(() -> {
            if (call.agentIds().isEmpty()) {
                // A caller nobody has answered yet: which team cannot be told from the event; the watched ones are few.
                watchers.keySet().forEach(this::callChanged);
                return;
            }
            call.agentIds().forEach(agent -> wallboards.teamOfAgent(agent).ifPresent(this::callChanged));
        });
    }

    /** A queue's caller joined, was offered, answered, gave up...: only the queue's own team is pushed. */
    @EventListener
    void on(QueueLogged logged) {
        offLane.execute(() -> logged.queueIds().forEach(queue -> wallboards.teamOfQueue(queue).ifPresent(this::callChanged)));
    }

    private void callChanged(UUID team) {
        wallboards.callsChanged(team);
        changed(team);
    }

    private void changed(UUID team) {
        if (!watchers.containsKey(team)) {
            return;
        }
        if (dirty.add(team)) {
            pusher.schedule(() -> push(team), COALESCE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void push(UUID teamId) {
        dirty.remove(teamId);
        Set<WebSocketSession> sessions = watchers.getOrDefault(teamId, Set.of());
        if (sessions.isEmpty()) {
            return;
        }
        try {
            Optional<Team> team = wallboards.team(teamId);
            if (team.isEmpty()) {
                return;
            }
            Wallboard board = wallboards.build(team.get());
            campaignsSent.put(teamId, board.campaigns());
            TextMessage message = new TextMessage(JSON.writeValueAsString(board));
            sessions.forEach(session -> send(session, message));
        } catch (RuntimeException e) {
            log.warn("wallboard of team {} not pushed: {}", teamId, e.toString());
        }
    }

    private void checkCampaigns() {
        for (UUID team : watchers.keySet()) {
            try {
                if (!watchers.get(team).isEmpty() && !wallboards.campaigns(team).equals(campaignsSent.get(team))) {
                    changed(team);
                }
            } catch (RuntimeException e) {
                log.debug("campaign check of team {} failed: {}", team, e.toString());
            }
        }
    }

    private static void send(WebSocketSession session, TextMessage message) {
        try {
            session.sendMessage(message);
        } catch (IOException | RuntimeException e) {
            log.debug("Push to console session {} failed: {}", session.getId(), e.getMessage());
        }
    }

    private Optional<Team> teamOf(WebSocketSession session) {
        if (!(session.getPrincipal() instanceof JwtAuthenticationToken token) || !(token.getDetails() instanceof User user)) {
            return Optional.empty();
        }
        UUID asked = null;
        String param = session.getUri() == null ? null
                : UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams().getFirst("teamId");
        if (param != null && !param.isBlank()) {
            try {
                asked = UUID.fromString(param);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return wallboards.watchable(Permissions.expand(user.permissions()), user.teamId(), asked);
    }
}
