package io.callcenter.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;

/** Closes WebSockets whose login no longer holds, and forgets revocations of tokens that have expired anyway. */
@Component
class IdentityHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(IdentityHousekeeping.class);

    private final WebSocketGuard guard;
    private final RevokedTokenRepository revoked;

    IdentityHousekeeping(WebSocketGuard guard, RevokedTokenRepository revoked) {
        this.guard = guard;
        this.revoked = revoked;
    }

    /** Every two seconds: a disabled user or a signed-out token loses its sockets within that. */
    @Scheduled(fixedDelayString = "${callcenter.auth.socket-check:2s}")
    void closeStaleSockets() {
        guard.sweep();
    }

    @Scheduled(fixedDelay = 1, timeUnit = java.util.concurrent.TimeUnit.HOURS, initialDelay = 1)
    void forgetExpiredRevocations() {
        try {
            int deleted = revoked.deleteExpired(Clock.systemUTC().instant());
            if (deleted > 0) {
                log.info("Forgot {} revocation(s) of expired tokens", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Could not delete expired token revocations: {}", e.getMessage());
        }
    }
}
