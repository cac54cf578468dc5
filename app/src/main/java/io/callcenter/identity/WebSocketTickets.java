package io.callcenter.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived, single-use tickets for WebSocket handshakes. Browsers cannot put a header on a handshake, and a
 * long-lived token in a URL ends up in access logs and proxies; a ticket there is worth nothing a few seconds later
 * or once used. A ticket stands for the token that asked for it, so the socket's login expires with that token.
 */
final class WebSocketTickets {

    static final Duration LIFETIME = Duration.ofSeconds(30);
    /** Unused tickets are swept beyond this many, so asking for tickets in a loop cannot fill the memory. */
    private static final int SWEEP_ABOVE = 10_000;

    private record Ticket(String token, Instant expiresAt) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();

    WebSocketTickets(Clock clock) {
        this.clock = clock;
    }

    record Issued(String ticket, Instant expiresAt) {
    }

    Issued issue(String token) {
        Instant now = clock.instant();
        if (tickets.size() > SWEEP_ABOVE) {
            tickets.values().removeIf(t -> !now.isBefore(t.expiresAt()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = now.plus(LIFETIME);
        tickets.put(ticket, new Ticket(token, expires));
        return new Issued(ticket, expires);
    }

    /** The token the ticket stands for, once: the ticket is gone after this, used or expired. */
    Optional<String> redeem(String ticket) {
        if (ticket == null) {
            return Optional.empty();
        }
        Ticket found = tickets.remove(ticket);
        if (found == null || !clock.instant().isBefore(found.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(found.token());
    }
}
