package io.callcenter.routing.memory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The data an inbound call is routed by (the team owning a number, the number's destination, schedules, the team's
 * queue), kept in memory between calls and trusted only while the database's routing generation has not moved
 * (migration V140: triggers on those tables move it in the transaction of every edit). A new call reads the
 * generation once ({@link #pin}); equal to the one the memory was filled at, the call's lookups are answered from
 * memory, otherwise the memory is dropped and refilled by the call's reads. So an edit committed through any app
 * instance (or in psql) is seen by the next call on every instance, for one round trip instead of one per lookup.
 *
 * <p>The database away (the generation cannot be read): no memory is used at all, every lookup goes through to its
 * loader, whose own last-known copy routes the call (README, "When the database is down"). Memory older than
 * {@code maxAge} is refilled even at an unchanged generation: a database restored from a backup can show an old
 * generation again with other data behind it.
 */
public final class RoutingMemory {

    private static final Logger log = LoggerFactory.getLogger(RoutingMemory.class);

    /** The routing generation as the database has it now; one round trip. Throws when it cannot be read. */
    @FunctionalInterface
    public interface Generations {
        long current();
    }

    /** The lookups of one call, answered at the generation read for it. */
    public interface Recall {
        /** The value known for (kind, key) at this call's generation, else {@code load}'s (remembered if not null). */
        <V> V recall(String kind, Object key, Supplier<V> load);

        /** Every lookup read afresh: no memory at all. */
        Recall THROUGH = new Recall() {
            @Override
            public <V> V recall(String kind, Object key, Supplier<V> load) {
                return load.get();
            }
        };
    }

    private record Key(String kind, Object key) {
    }

    /** What was read at one generation, since when. Replaced whole, never cleared in place, so a pin keeps its own. */
    private record View(long generation, Instant filledSince, Map<Key, Object> values) implements Recall {
        @Override
        @SuppressWarnings("unchecked")
        public <V> V recall(String kind, Object key, Supplier<V> load) {
            Key at = new Key(kind, key);
            Object known = values.get(at);
            if (known != null) {
                return (V) known;
            }
            V loaded = load.get();
            if (loaded != null) {
                values.putIfAbsent(at, loaded);
            }
            return loaded;
        }
    }

    private final Generations generations;
    private final Clock clock;
    private final Duration maxAge;
    private volatile View view;

    public RoutingMemory(Generations generations, Clock clock, Duration maxAge) {
        this.generations = generations;
        this.clock = clock;
        this.maxAge = maxAge;
        this.view = new View(Long.MIN_VALUE, Instant.MIN, Map.of());
    }

    /**
     * The memory for one new call: read the generation, drop the memory if it moved or is too old. A value is only
     * ever loaded after a generation read that returned its view's generation or a later one, so a view never
     * answers data older than its generation; a load racing an edit can only store newer data, which the next
     * pin's moved generation drops.
     */
    public Recall pin() {
        long generation;
        try {
            generation = generations.current();
        } catch (RuntimeException e) {
            log.debug("Routing generation unreadable, routing without memory: {}", e.toString());
            return Recall.THROUGH;
        }
        Instant now = clock.instant();
        View current = view;
        if (current.generation() != generation || now.isAfter(current.filledSince().plus(maxAge))) {
            current = new View(generation, now, new ConcurrentHashMap<>());
            view = current;
        }
        return current;
    }
}
