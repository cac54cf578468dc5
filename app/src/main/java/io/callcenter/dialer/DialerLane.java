package io.callcenter.dialer;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dialer's one lane: everything that reads or changes attempts runs on it in order, so no two decisions about
 * the same attempt ever race. Threads outside it (webhooks, REST) hand work over and may wait for the result.
 */
final class DialerLane {

    private final Executor lane;

    DialerLane(Executor lane) {
        this.lane = lane;
    }

    <T> T onLane(Callable<T> work) {
        try {
            return onLane(work, null);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the work on the lane and waits at most {@code within} (null: as long as it takes). On a timeout the work
     * stays queued and still runs; only the caller stops waiting for it.
     */
    <T> T onLane(Callable<T> work, Duration within) throws TimeoutException {
        FutureTask<T> task = new FutureTask<>(work);
        lane.execute(task);
        return await(task, within);
    }

    /** The work's result, waiting at most {@code within} (null: as long as it takes); its failure is thrown. */
    static <T> T await(java.util.concurrent.Future<T> result, Duration within) throws TimeoutException {
        try {
            if (within == null) {
                return result.get();
            }
            return result.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
