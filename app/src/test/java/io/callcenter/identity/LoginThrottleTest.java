package io.callcenter.identity;

import io.callcenter.testkit.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void fortyParallelAttemptsOnOneUserAreCountedSoOnlyTheFreeOnesAreChecked() throws Exception {
        int parallel = 40;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(parallel)) {
            for (int i = 0; i < parallel; i++) {
                // Different addresses: only the user's own count can stop them.
                String address = "203.0.113." + i;
                outcomes.add(threads.submit(() -> {
                    start.await();
                    return throttle.attempt("alice", address).permit().isPresent();
                }));
            }
            start.countDown();
            int checked = 0;
            for (Future<Boolean> outcome : outcomes) {
                checked += outcome.get() ? 1 : 0;
            }
            // Three free failures, and the fourth is let through before the first wait begins.
            assertThat(checked).isEqualTo(LoginThrottle.USER.free() + 1);
        }
    }

    @Test
    void waitsGrowWithEachFailureUpToACeilingInsteadOfALockout() {
        int checked = 0;
        List<Duration> waits = new ArrayList<>();
        while (checked < 12) {
            LoginThrottle.Decision decision = throttle.attempt("bob", "198.51.100." + checked);
            if (decision.permit().isPresent()) {
                checked++;
            } else {
                waits.add(decision.retryAfter());
                clock.advance(decision.retryAfter());
            }
        }
        // The first four go through at once; then each failure doubles the wait, never past the ceiling.
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32), LoginThrottle.USER.maxDelay(),
                LoginThrottle.USER.maxDelay());
    }

    @Test
    void theUsersOwnMachineIsNotSlowedByGuessesFromElsewhere() {
        LoginThrottle.Decision own = throttle.attempt("carol", "10.0.0.5");
        throttle.succeeded(own.permit().orElseThrow());
        for (int i = 0; i < 10; i++) {
            throttle.attempt("carol", "203.0.113.66");
        }
        assertThat(throttle.attempt("carol", "203.0.113.67").permit()).as("guessers wait").isEmpty();
        assertThat(throttle.attempt("carol", "10.0.0.5").permit()).as("carol at her desk").isPresent();
    }

    @Test
    void oneAddressTryingManyUsersIsSlowedToo() {
        int checked = 0;
        for (int i = 0; i < 100; i++) {
            checked += throttle.attempt("user" + i, "192.0.2.1").permit().isPresent() ? 1 : 0;
        }
        assertThat(checked).isEqualTo(LoginThrottle.ADDRESS.free() + 1);
        assertThat(throttle.attempt("someone-else", "192.0.2.2").permit()).isPresent();
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        for (int i = 0; i < 4; i++) {
            throttle.attempt("dave", "192.0.2.9");
        }
        assertThat(throttle.attempt("dave", "192.0.2.9").permit()).isEmpty();
        clock.advance(LoginThrottle.USER.forgetAfter());
        for (int i = 0; i < LoginThrottle.USER.free(); i++) {
            assertThat(throttle.attempt("dave", "192.0.2.9").permit()).isPresent();
        }
    }
}
