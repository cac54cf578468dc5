package io.callcenter.call.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes the call lanes' executor within a bound. Its tasks include the call writers, which retry a refused save
 * until the database takes it: with the pool overloaded at shutdown, an unbounded close waited for them (4 minutes in
 * a benchmark run). What is still unsaved then is settled by the instance that adopts the calls, as after a crash.
 */
final class BoundedShutdown {

    private static final Logger log = LoggerFactory.getLogger(BoundedShutdown.class);

    private BoundedShutdown() {
    }

    static void close(ExecutorService executor, Duration bound) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            log.warn("Call lanes still busy {} s after shutdown began (saves retrying against the database?): "
                    + "interrupted; the instance adopting the calls settles what was not saved", bound.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
