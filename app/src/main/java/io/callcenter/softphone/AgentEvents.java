package io.callcenter.softphone;

import io.callcenter.agent.AgentPresence;
import io.callcenter.call.CallUpdated;
import io.callcenter.identity.User;
import io.callcenter.voicemail.VoicemailChanged;
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
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes each agent's state and call changes to their open softphone pages. The handshake went through the API's
 * security (the token rides as a query parameter: browsers cannot set headers on a WebSocket), so the session's
 * principal says which agent it belongs to. The first frame is always the current state.
 */
@Component
class AgentEvents extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(AgentEvents.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AgentPresence presence;
    private final Map<UUID, Set<WebSocketSession>> sessionsByAgent = new ConcurrentHashMap<>();

    AgentEvents(AgentPresence presence) {
        this.presence = presence;
    }

    record StateMessage(String type, String state, Instant since, UUID callId, String reason) {
        static StateMessage of(AgentPresence.StateChanged state) {
            return new StateMessage("state", state.state().name(), state.since(), state.callId(), state.reason());
        }
    }

    record CallMessage(String type, UUID callId, String state, String direction, String number, String leadId,
                       String hangupCause, String recordingState, String transferState, String queue,
                       java.time.Instant queuedAt, java.util.List<String> menuPath) {
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        UUID agentId = agentOf(session);
        if (agentId == null) {
            session.close(CloseStatus.POLICY_VIOLATION.withReason("not an agent"));
            return;
        }
        // Sends may come from several threads (presence, call lanes): the decorator serialises them.
        WebSocketSession safe = new ConcurrentWebSocketSessionDecorator(session, 5_000, 64 * 1024);
        session.getAttributes().put("safe", safe);
        sessionsByAgent.computeIfAbsent(agentId, id -> ConcurrentHashMap.newKeySet()).add(safe);
        send(safe, StateMessage.of(presence.current(agentId)));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        UUID agentId = agentOf(session);
        Object safe = session.getAttributes().get("safe");
        if (agentId != null && safe != null) {
            sessionsByAgent.getOrDefault(agentId, Set.of()).remove(safe);
        }
    }

    @EventListener
    void on(AgentPresence.StateChanged changed) {
        sessionsByAgent.getOrDefault(changed.agentId(), Set.of()).forEach(s -> send(s, StateMessage.of(changed)));
    }

    @EventListener
    void on(CallUpdated call) {
        CallMessage message = new CallMessage("call", call.callId(), call.state(), call.direction(), call.number(),
                call.leadId(), call.hangupCause(), call.recordingState(), call.transferState(), call.queue(),
                call.queuedAt(), call.menuPath());
        for (UUID agentId : call.agentIds()) {
            sessionsByAgent.getOrDefault(agentId, Set.of()).forEach(s -> send(s, message));
        }
    }

    record VoicemailMessage(String type, UUID boxId, String box, UUID messageId, String change, String from) {
    }

    /** A new, heard or deleted message in a box the agent sees: the page refreshes its voicemail list. */
    @EventListener
    void on(VoicemailChanged changed) {
        VoicemailMessage message = new VoicemailMessage("voicemail", changed.boxId(), changed.boxName(),
                changed.messageId(), changed.change(), changed.callerNumber());
        for (UUID agentId : changed.agentIds()) {
            sessionsByAgent.getOrDefault(agentId, Set.of()).forEach(s -> send(s, message));
        }
    }

    record OfferMessage(String type, io.callcenter.dialer.AgentOffer offer) {
    }

    /** A preview or due callback offered to the agent (or its end: {@code offer} null): the page shows the card. */
    @EventListener
    void on(io.callcenter.dialer.AgentOffer.Changed changed) {
        OfferMessage message = new OfferMessage("offer", changed.offer());
        sessionsByAgent.getOrDefault(changed.agentId(), Set.of()).forEach(s -> send(s, message));
    }

    private static void send(WebSocketSession session, Object message) {
        try {
            session.sendMessage(new TextMessage(JSON.writeValueAsString(message)));
        } catch (IOException | RuntimeException e) {
            log.debug("Push to softphone session {} failed: {}", session.getId(), e.getMessage());
        }
    }

    /** The user's agent as the user table says (SecurityConfiguration puts the user on the authentication). */
    private static UUID agentOf(WebSocketSession session) {
        if (session.getPrincipal() instanceof JwtAuthenticationToken token && token.getDetails() instanceof User user) {
            return user.agentId();
        }
        return null;
    }
}
