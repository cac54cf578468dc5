package io.callcenter.identity;

import io.callcenter.web.ApiProblem;
import org.springframework.http.HttpStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Slows password guessing: after 5 failures in a row a user name is locked for a minute. */
final class LoginThrottle {

    private static final int FAILURES_ALLOWED = 5;
    private static final Duration LOCK = Duration.ofMinutes(1);

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    void check(String username) {
        Failures f = failures.get(username);
        if (f != null && f.lockedUntil() != null && clock.instant().isBefore(f.lockedUntil())) {
            long seconds = Math.max(1, Duration.between(clock.instant(), f.lockedUntil()).toSeconds());
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "login-locked", "Too many failed logins",
                    "Too many failed logins for this user; try again in " + seconds + " s")
                    .header("Retry-After", Long.toString(seconds));
        }
    }

    void failed(String username) {
        failures.compute(username, (name, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            return new Failures(count, count >= FAILURES_ALLOWED ? clock.instant().plus(LOCK) : null);
        });
    }

    void succeeded(String username) {
        failures.remove(username);
    }
}
