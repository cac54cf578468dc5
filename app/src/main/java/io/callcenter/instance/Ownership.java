package io.callcenter.instance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which roles this instance holds, decided once per {@link #poll()} from the locks its {@link LockSession} can
 * take: the floor when nobody holds it, the dialer only with the floor. Polled every second by
 * {@link InstanceConfiguration}; unit tests poll it by hand with a fake session and clock.
 *
 * <p>A session lost (the database restarting or away) does not give up the roles it held: the other instances
 * cannot reach the database either, so nobody can take them meanwhile, and calls go on as through any database
 * outage. When a session opens again each kept role is taken again at once, and given up if another instance
 * took it in between (a partition that cut only this instance off): its event streams stop, so it commands its
 * calls no more.
 */
final class Ownership implements Roles {

    private static final Logger log = LoggerFactory.getLogger(Ownership.class);

    /** What a role held is; {@code since} for the operators' view. */
    record Held(Role role, Instant since) {
    }

    private record Listener(Runnable gained, Runnable lost) {
    }

    private final LockSession session;
    private final String instance;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<Role, List<Listener>> listeners = new EnumMap<>(Role.class);
    private final Map<Role, Instant> held = new EnumMap<>(Role.class);
    private boolean sessionOpen;
    private boolean stopped;

    Ownership(LockSession session, String instance, Clock clock, MeterRegistry meters) {
        this.session = session;
        this.instance = instance;
        this.clock = clock;
        this.meters = meters;
        for (Role role : Role.values()) {
            listeners.put(role, new CopyOnWriteArrayList<>());
            Gauge.builder("callcenter.instance.role.held", this, o -> o.holds(role) ? 1 : 0)
                    .description("1 while this instance holds the role (floor: the Asterisk event streams; dialer)")
                    .tag("role", role.name().toLowerCase()).register(meters);
        }
    }

    String instance() {
        return instance;
    }

    @Override
    public synchronized void whenHeld(Role role, Runnable gained, Runnable lost) {
        listeners.get(role).add(new Listener(gained, lost));
        if (held.containsKey(role)) {
            run(role, gained, "gained");
        }
    }

    @Override
    public synchronized boolean holds(Role role) {
        return held.containsKey(role);
    }

    synchronized List<Held> held() {
        return held.entrySet().stream().map(e -> new Held(e.getKey(), e.getValue())).toList();
    }

    /** Who holds each role as the database sees it (empty while it cannot be asked). */
    synchronized List<LockSession.Holder> holders() {
        if (!sessionOpen) {
            return List.of();
        }
        try {
            return session.holders();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** One round: the session checked (reopened), kept roles confirmed, free roles taken. */
    synchronized void poll() {
        if (stopped) {
            return;
        }
        try {
            if (sessionOpen && !session.valid()) {
                sessionOpen = false;
                session.close();
                if (!held.isEmpty()) {
                    log.warn("Instance {}: lost its lock session; keeps {} until the database answers again",
                            instance, held.keySet());
                }
            }
            if (!sessionOpen) {
                if (!session.open()) {
                    return;
                }
                sessionOpen = true;
                confirmKept();
            }
            for (Role role : Role.values()) {
                if (!held.containsKey(role) && (role == Role.FLOOR || held.containsKey(Role.FLOOR))
                        && session.tryLock(role)) {
                    gain(role);
                }
            }
        } catch (RuntimeException e) {
            // The session broke mid-round: what it held is confirmed (or given up) on the next one.
            log.debug("Instance {}: lock round failed: {}", instance, e.toString());
            sessionOpen = false;
            session.close();
        }
    }

    /** A new session holds no lock: each role kept through the lost one is taken again, or given up. */
    private void confirmKept() {
        Optional<Role> taken = held.keySet().stream().filter(role -> !session.tryLock(role)).findFirst();
        if (taken.isEmpty()) {
            if (!held.isEmpty()) {
                log.info("Instance {}: its roles {} confirmed on a new lock session", instance, held.keySet());
            }
            return;
        }
        log.warn("Instance {}: {} was taken by another instance while the database was away: giving up", instance,
                taken.get());
        if (taken.get() == Role.FLOOR) {
            releaseAll();
        } else {
            lose(Role.DIALER);
        }
    }

    /** Gives up every role (the dialer first: it needs the floor) and its locks: a clean handover on shutdown. */
    synchronized void stop() {
        stopped = true;
        releaseAll();
        sessionOpen = false;
        session.close();
    }

    private void releaseAll() {
        for (Role role : List.of(Role.DIALER, Role.FLOOR)) {
            if (held.containsKey(role)) {
                lose(role);
            }
        }
    }

    private void gain(Role role) {
        held.put(role, clock.instant());
        log.info("Instance {} now holds {}", instance, role);
        changed(role, "gained");
        listeners.get(role).forEach(listener -> run(role, listener.gained(), "gained"));
    }

    private void lose(Role role) {
        held.remove(role);
        log.warn("Instance {} gives up {}", instance, role);
        changed(role, "lost");
        listeners.get(role).forEach(listener -> run(role, listener.lost(), "lost"));
        if (sessionOpen) {
            try {
                session.unlock(role);
            } catch (RuntimeException e) {
                log.debug("Instance {}: unlocking {} failed: {}", instance, role, e.toString());
            }
        }
    }

    private void changed(Role role, String change) {
        Counter.builder("callcenter.instance.role.changes")
                .description("Roles this instance took or gave up (an instance died, a handover)")
                .tag("role", role.name().toLowerCase()).tag("change", change).register(meters).increment();
    }

    private void run(Role role, Runnable action, String what) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.error("Instance {}: starting or stopping work for {} {} failed", instance, role, what, e);
        }
    }
}
