package io.callcenter.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A WebSocket outlives the request that opened it, so the checks done at its handshake are done again while it is
 * open: a session is closed when its token expires or is revoked (logout), or when its user is disabled or removed.
 * Modules wrap their socket handlers with {@link #guard(WebSocketHandler)}; a sweep looks at every open session.
 */
public final class WebSocketGuard {

    private static final Logger log = LoggerFactory.getLogger(WebSocketGuard.class);
    /** The close code a page reads as "sign in again" (4000-4999 are the application's). */
    public static final int SIGNED_OUT = 4401;

    private final UserRepository users;
    private final RevokedTokenRepository revoked;
    private final Clock clock;
    private final Set<WebSocketSession> open = ConcurrentHashMap.newKeySet();

    WebSocketGuard(UserRepository users, RevokedTokenRepository revoked, Clock clock) {
        this.users = users;
        this.revoked = revoked;
        this.clock = clock;
    }

    public WebSocketHandler guard(WebSocketHandler handler) {
        return new WebSocketHandlerDecorator(handler) {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                open.add(session);
                super.afterConnectionEstablished(session);
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
                open.remove(session);
                super.afterConnectionClosed(session, closeStatus);
            }
        };
    }

    /** Closes every open session whose login no longer holds; returns how many. */
    int sweep() {
        Instant now = clock.instant();
        Map<UUID, Boolean> enabled = new java.util.HashMap<>();
        int closed = 0;
        for (WebSocketSession session : Set.copyOf(open)) {
            Optional<String> why;
            try {
                why = whyNot(session, now, enabled);
            } catch (RuntimeException e) {
                // The database may be away: a socket is not closed for that, only for a login that is known bad.
                log.debug("WebSocket sweep could not check session {}: {}", session.getId(), e.getMessage());
                continue;
            }
            if (why.isPresent()) {
                closed++;
                open.remove(session);
                log.info("Closing WebSocket {} of {}: {}", session.getId(), session.getPrincipal() == null ? "-"
                        : session.getPrincipal().getName(), why.get());
                try {
                    session.close(new CloseStatus(SIGNED_OUT, why.get()));
                } catch (IOException | RuntimeException e) {
                    log.debug("Closing WebSocket {} failed: {}", session.getId(), e.getMessage());
                }
            }
        }
        return closed;
    }

    private Optional<String> whyNot(WebSocketSession session, Instant now, Map<UUID, Boolean> enabled) {
        if (!(session.getPrincipal() instanceof JwtAuthenticationToken token)) {
            return Optional.of("no login");
        }
        Instant expires = token.getToken().getExpiresAt();
        if (expires != null && !now.isBefore(expires)) {
            return Optional.of("token expired");
        }
        UUID userId = UUID.fromString(token.getToken().getSubject());
        if (!enabled.computeIfAbsent(userId, id -> users.findById(id).map(User::enabled).orElse(false))) {
            return Optional.of("user disabled or removed");
        }
        String tokenId = token.getToken().getId();
        if (tokenId != null && revoked.isRevoked(tokenId)) {
            return Optional.of("signed out");
        }
        return Optional.empty();
    }
}
