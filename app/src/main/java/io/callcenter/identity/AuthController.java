package io.callcenter.identity;

import io.callcenter.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Password login for a standalone installation; a deployment with its own identity provider can skip it. */
@RestController
@RequestMapping("/api")
class AuthController {

    private final IdentityService identity;
    private final TokenService tokens;
    private final AgentExtensions agents;
    private final LoginThrottle throttle;
    private final WebSocketTickets tickets;
    private final RevokedTokenRepository revoked;

    AuthController(IdentityService identity, TokenService tokens, AgentExtensions agents, LoginThrottle throttle,
                   WebSocketTickets tickets, RevokedTokenRepository revoked) {
        this.identity = identity;
        this.tokens = tokens;
        this.agents = agents;
        this.throttle = throttle;
        this.tickets = tickets;
        this.revoked = revoked;
    }

    record LoginRequest(String username, String password) {
    }

    record Me(UUID id, String username, String displayName, String role, List<String> permissions, UUID teamId,
              UUID agentId, String extension) {
    }

    private Me me(User user) {
        String extension = user.agentId() == null ? null : agents.extensionOf(user.agentId()).orElse(null);
        return new Me(user.id(), user.username(), user.displayName(), user.role().dbValue(),
                List.copyOf(Permissions.expand(user.permissions())), user.teamId(), user.agentId(), extension);
    }

    record LoginResponse(String token, Instant expiresAt, Me user) {
    }

    @PostMapping("/auth/login")
    LoginResponse login(@RequestBody LoginRequest request, HttpServletRequest http) {
        if (request.username() == null || request.password() == null) {
            throw ApiProblem.badRequest("username and password are required");
        }
        String key = request.username().strip().toLowerCase(java.util.Locale.ROOT);
        // Behind a proxy this is the proxy unless server.forward-headers-strategy trusts its X-Forwarded-For.
        LoginThrottle.Decision decision = throttle.attempt(key, http.getRemoteAddr());
        if (decision.permit().isEmpty()) {
            long seconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "login-throttled", "Too many failed logins",
                    "Too many failed logins for this user or from this address; try again in " + seconds + " s")
                    .header("Retry-After", Long.toString(seconds));
        }
        User user = identity.authenticate(request.username(), request.password()).orElse(null);
        if (user == null) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-credentials", "Login failed",
                    "Unknown user name or wrong password");
        }
        throttle.succeeded(decision.permit().get());
        TokenService.Token token = tokens.issue(user);
        return new LoginResponse(token.value(), token.expiresAt(), me(user));
    }

    /** Revokes the token of this request at once, server-side; its open WebSockets close at the next sweep. */
    @PostMapping("/auth/logout")
    ResponseEntity<Void> logout(Caller caller, @AuthenticationPrincipal Jwt token) {
        if (token.getId() != null && token.getExpiresAt() != null) {
            revoked.revoke(token.getId(), caller.userId(), token.getExpiresAt());
        }
        return ResponseEntity.noContent().build();
    }

    record TicketResponse(String ticket, Instant expiresAt) {
    }

    /** A single-use ticket for opening a WebSocket (?ticket=), so the token itself never travels in a URL. */
    @PostMapping("/auth/ws-ticket")
    TicketResponse webSocketTicket(Caller caller, @AuthenticationPrincipal Jwt token) {
        WebSocketTickets.Issued issued = tickets.issue(token.getTokenValue());
        return new TicketResponse(issued.ticket(), issued.expiresAt());
    }

    @GetMapping("/me")
    Me me(Caller caller) {
        return identity.byId(caller.userId()).map(this::me)
                .orElseThrow(() -> ApiProblem.notFound("Your user no longer exists"));
    }
}
