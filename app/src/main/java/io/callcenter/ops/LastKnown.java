package io.callcenter.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Read-through for data a new call needs while the database may be away (which team owns a number, its route and
 * queue, its agents): every read goes to the database and refreshes the copy, so an edit is seen at once; only a
 * read that fails because the database is away ({@link DatabaseOutage}) answers the last value read instead. Nothing
 * known for the key: the outage is rethrown and the caller does what it does without the database. Keys are the few
 * a call center routes by (its numbers, teams, agents), so the copy is never evicted.
 */
public final class LastKnown<K, V> {

    private final Map<K, V> known = new ConcurrentHashMap<>();

    public V read(K key, Supplier<V> load) {
        V value;
        try {
            value = load.get();
        } catch (RuntimeException e) {
            V last = DatabaseOutage.isOutage(e) ? known.get(key) : null;
            if (last == null) {
                throw e;
            }
            return last;
        }
        if (value != null) {
            known.put(key, value);
        }
        return value;
    }

    /** A value learnt another way (an agent read as part of their team's list). */
    public void remember(K key, V value) {
        known.put(key, value);
    }
}
