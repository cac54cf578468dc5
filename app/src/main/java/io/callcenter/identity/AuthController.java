package io.callcenter.identity;

import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;
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
    private final LoginThrottle throttle = new LoginThrottle(java.time.Clock.systemUTC());

    AuthController(IdentityService identity, TokenService tokens, AgentExtensions agents) {
        this.identity = identity;
        this.tokens = tokens;
        this.agents = agents;
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
    LoginResponse login(@RequestBody LoginRequest request) {
        if (request.username() == null || request.password() == null) {
            throw ApiProblem.badRequest("username and password are required");
        }
        String key = request.username().strip().toLowerCase(java.util.Locale.ROOT);
        throttle.check(key);
        User user = identity.authenticate(request.username(), request.password()).orElse(null);
        if (user == null) {
            throttle.failed(key);
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-credentials", "Login failed",
                    "Unknown user name or wrong password");
        }
        throttle.succeeded(key);
        TokenService.Token token = tokens.issue(user);
        return new LoginResponse(token.value(), token.expiresAt(), me(user));
    }

    @GetMapping("/me")
    Me me(Caller caller) {
        return identity.byId(caller.userId()).map(this::me)
                .orElseThrow(() -> ApiProblem.notFound("Your user no longer exists"));
    }
}
