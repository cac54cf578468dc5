package io.callcenter.call.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * One serial lane per key (a call): tasks of one key run one at a time in submission order, tasks of different
 * keys run in parallel on the given executor (virtual threads in production, the caller's thread in unit tests).
 * A lane exists only while it has work, so finished calls leave nothing behind.
 */
final class Lanes<K> {

    private static final Logger log = LoggerFactory.getLogger(Lanes.class);

    private final Executor executor;
    private final Map<K, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Told how long each task waited in its lane before running (operators' metric); nothing by default. */
    private volatile LongConsumer waitNanos = nanos -> { };

    Lanes(Executor executor) {
        this.executor = executor;
    }

    void execute(K key, Runnable submitted) {
        long queuedAt = System.nanoTime();
        queued.incrementAndGet();
        Runnable task = () -> {
            queued.decrementAndGet();
            waitNanos.accept(System.nanoTime() - queuedAt);
            submitted.run();
        };
        boolean[] start = {false};
        lanes.compute(key, (k, lane) -> {
            Lane current = lane == null ? new Lane(k) : lane;
            current.tasks.add(task);
            if (!current.draining) {
                current.draining = true;
                start[0] = true;
            }
            return current;
        });
        if (start[0]) {
            executor.execute(() -> drain(key));
        }
    }

    int activeLanes() {
        return lanes.size();
    }

    /** Tasks submitted and not started yet, over all lanes. */
    int queuedTasks() {
        return queued.get();
    }

    void observeWaits(LongConsumer waitNanos) {
        this.waitNanos = waitNanos;
    }

    private void drain(K key) {
        while (true) {
            Runnable next = nextOrRetire(key);
            if (next == null) {
                return;
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("Task on lane {} failed", key, e);
            }
        }
    }

    private Runnable nextOrRetire(K key) {
        Runnable[] next = {null};
        lanes.computeIfPresent(key, (k, lane) -> {
            next[0] = lane.tasks.poll();
            if (next[0] == null) {
                lane.draining = false;
                return null;
            }
            return lane;
        });
        return next[0];
    }

    private final class Lane {
        final K key;
        final Queue<Runnable> tasks = new ArrayDeque<>();
        boolean draining;

        Lane(K key) {
            this.key = key;
        }
    }
}
