package io.callcenter.identity;

import io.callcenter.testkit.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Open sockets are closed when their login ends: token expired or revoked, user disabled or gone. */
class WebSocketGuardTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final TestClock clock = new TestClock(T0);
    private final Map<UUID, User> users = new HashMap<>();
    private final Set<String> revoked = new HashSet<>();
    private RuntimeException databaseAway;

    private final UserRepository userRows = new UserRepository(null) {
        @Override
        Optional<User> findById(UUID id) {
            if (databaseAway != null) {
                throw databaseAway;
            }
            return Optional.ofNullable(users.get(id));
        }
    };
    private final RevokedTokenRepository revokedRows = new RevokedTokenRepository(null) {
        @Override
        boolean isRevoked(String tokenId) {
            return revoked.contains(tokenId);
        }
    };
    private final WebSocketGuard guard = new WebSocketGuard(userRows, revokedRows, clock);
    private final WebSocketHandler handler = guard.guard(new TextWebSocketHandler());

    private WebSocketSession open(boolean enabled, Duration lifetime, String tokenId) throws Exception {
        User user = new User(UUID.randomUUID(), "u" + users.size(), "U", Role.AGENT, List.of(), null, null, enabled);
        users.put(user.id(), user);
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "HS256").subject(user.id().toString()).jti(tokenId)
                .issuedAt(T0).expiresAt(T0.plus(lifetime)).build();
        WebSocketSession session = mock(WebSocketSession.class);
        when(session.getPrincipal()).thenReturn(new JwtAuthenticationToken(jwt));
        when(session.getId()).thenReturn(tokenId);
        handler.afterConnectionEstablished(session);
        return session;
    }

    @Test
    void a_socket_closes_when_its_token_expires() throws Exception {
        WebSocketSession session = open(true, Duration.ofHours(12), "a");
        assertThat(guard.sweep()).isZero();
        clock.advance(Duration.ofHours(12));
        assertThat(guard.sweep()).isOne();
        verify(session).close(new CloseStatus(WebSocketGuard.SIGNED_OUT, "token expired"));
    }

    @Test
    void a_socket_closes_when_its_token_is_revoked_or_its_user_disabled_or_removed() throws Exception {
        WebSocketSession signedOut = open(true, Duration.ofHours(12), "b");
        WebSocketSession disabled = open(false, Duration.ofHours(12), "c");
        WebSocketSession kept = open(true, Duration.ofHours(12), "d");
        revoked.add("b");
        assertThat(guard.sweep()).isEqualTo(2);
        verify(signedOut).close(new CloseStatus(WebSocketGuard.SIGNED_OUT, "signed out"));
        verify(disabled).close(new CloseStatus(WebSocketGuard.SIGNED_OUT, "user disabled or removed"));
        verify(kept, never()).close(org.mockito.ArgumentMatchers.any());

        users.clear();
        assertThat(guard.sweep()).as("removed").isOne();
        assertThat(guard.sweep()).as("closed once").isZero();
    }

    @Test
    void with_the_database_away_no_socket_is_closed_for_that() throws Exception {
        WebSocketSession session = open(true, Duration.ofHours(12), "e");
        databaseAway = new DataAccessResourceFailureException("Connection refused");
        assertThat(guard.sweep()).isZero();
        verify(session, never()).close(org.mockito.ArgumentMatchers.any());
        databaseAway = null;
        handler.afterConnectionClosed(session, CloseStatus.NORMAL);
        assertThat(guard.sweep()).as("a closed socket is forgotten").isZero();
    }
}
