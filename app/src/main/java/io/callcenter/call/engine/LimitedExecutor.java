package io.callcenter.call.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs at most {@code limit} tasks at once on {@code delegate}, the rest in the order they came. The calls' writers
 * run here: unbounded, 200 calls placed in one second had 200 writers holding or waiting for the pool's connections,
 * and the clicks' own reads (the token, the do-not-call list) timed out behind them (make bench, originations).
 * A writer that waits loses nothing: it merges what its call rendered meanwhile.
 */
final class LimitedExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(LimitedExecutor.class);

    private final Executor delegate;
    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    LimitedExecutor(Executor delegate, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(task);
                return;
            }
            running++;
        }
        delegate.execute(() -> runThenNext(task));
    }

    private void runThenNext(Runnable first) {
        Runnable next = first;
        while (next != null) {
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("A task failed", e);
            }
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    running--;
                }
            }
        }
    }
}
