package io.callcenter.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Slows password guessing per user name and per source address. Counting and deciding are one synchronized step
 * that reserves the attempt before the password is checked, so parallel attempts are counted: of 40 sent at once,
 * only the free ones are checked and the rest wait their turn.
 *
 * <p>There is no lockout: each failure beyond the free ones doubles the wait before the next attempt, up to a
 * ceiling, so an attacker can slow a user down but never shut them out. And the user's own machine escapes even
 * that: an address that logged this user in before is throttled for that user apart from everyone else (its own
 * key), so guesses from elsewhere do not delay the real user at their desk.
 */
final class LoginThrottle {

    /** Free failures, then the wait doubles from {@code firstDelay} up to {@code maxDelay}; quiet this long resets. */
    record Limits(int free, Duration firstDelay, Duration maxDelay, Duration forgetAfter) {
        Duration delayAfter(int failures) {
            if (failures <= free) {
                return Duration.ZERO;
            }
            int doublings = Math.min(failures - free - 1, 20);
            Duration delay = firstDelay.multipliedBy(1L << doublings);
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }

    /** A user name: a few tries, then at most a minute between guesses. */
    static final Limits USER = new Limits(3, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(15));
    /** A source address: an office behind one NAT address mistypes more, but a guesser gets slowed to a crawl. */
    static final Limits ADDRESS = new Limits(20, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
    /** Beyond this many keys the quiet ones are dropped, so a flood of made-up names cannot fill the memory. */
    private static final int MAX_KEYS = 100_000;
    /** Addresses a user logged in from lately, so their own machine is not slowed by guesses from elsewhere. */
    private static final Duration KNOWN_FOR = Duration.ofDays(30);

    private static final class Counter {
        int failures;
        Instant nextAllowed = Instant.EPOCH;
        Instant lastFailure = Instant.EPOCH;
    }

    /** The attempt may be checked now; its keys have already counted it as a failure until told otherwise. */
    record Permit(String username, String address, List<String> keys) {
    }

    private final Clock clock;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, Instant> knownAddresses = new HashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Either a permit, the attempt counted as a failure in advance, or how long to wait: nothing is counted then.
     */
    synchronized Decision attempt(String username, String address) {
        Instant now = clock.instant();
        forgetQuietKeys(now);
        String userKey = known(username, address, now) ? "ua:" + username + "@" + address : "u:" + username;
        String addressKey = "a:" + address;
        Duration wait = Duration.ZERO;
        for (String key : List.of(userKey, addressKey)) {
            Counter counter = counter(key, now);
            if (now.isBefore(counter.nextAllowed)) {
                Duration left = Duration.between(now, counter.nextAllowed);
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        if (!wait.isZero()) {
            return new Decision(Optional.empty(), wait);
        }
        failed(userKey, USER, now);
        failed(addressKey, ADDRESS, now);
        return new Decision(Optional.of(new Permit(username, address, List.of(userKey, addressKey))), Duration.ZERO);
    }

    record Decision(Optional<Permit> permit, Duration retryAfter) {
    }

    /**
     * The password was right: the user's count starts over and this address becomes theirs. The address's own
     * count stays (failures decay with time), or one valid account would let a guesser reset it between guesses.
     */
    synchronized void succeeded(Permit permit) {
        Instant now = clock.instant();
        counters.remove(permit.keys().getFirst());
        counters.remove("u:" + permit.username());
        knownAddresses.put(permit.username() + "@" + permit.address(), now);
        Counter address = counters.get(permit.keys().get(1));
        if (address != null && address.failures > 0) {
            // The reserved failure was not one.
            address.failures--;
        }
    }

    private boolean known(String username, String address, Instant now) {
        Instant since = knownAddresses.get(username + "@" + address);
        return since != null && now.isBefore(since.plus(KNOWN_FOR));
    }

    private Counter counter(String key, Instant now) {
        Counter counter = counters.computeIfAbsent(key, k -> new Counter());
        Limits limits = key.startsWith("a:") ? ADDRESS : USER;
        if (counter.failures > 0 && !now.isBefore(counter.lastFailure.plus(limits.forgetAfter()))) {
            counter.failures = 0;
        }
        return counter;
    }

    private void failed(String key, Limits limits, Instant now) {
        Counter counter = counter(key, now);
        counter.failures++;
        counter.lastFailure = now;
        counter.nextAllowed = now.plus(limits.delayAfter(counter.failures));
    }

    private void forgetQuietKeys(Instant now) {
        if (counters.size() + knownAddresses.size() < MAX_KEYS) {
            return;
        }
        Set<String> quiet = new HashSet<>();
        counters.forEach((key, c) -> {
            if (now.isAfter(c.nextAllowed) && now.isAfter(c.lastFailure.plus(USER.forgetAfter()))) {
                quiet.add(key);
            }
        });
        quiet.forEach(counters::remove);
        knownAddresses.values().removeIf(since -> now.isAfter(since.plus(KNOWN_FOR)));
        if (counters.size() + knownAddresses.size() >= MAX_KEYS) {
            // Still full of live keys: an attack on many names at once. Known addresses are the cheaper loss.
            knownAddresses.clear();
        }
    }
}
