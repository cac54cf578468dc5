package io.callcenter.dialer;

import io.callcenter.ops.DatabaseOutage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The call module's claims and notifications, handed to the dialer's lane: whatever queued while the lane was busy
 * is stored in one transaction, and each caller has its answer only after that commit. Each was a transaction and
 * a commit of its own, and 200 transfers arriving within a second queued 400 commits on the lane between the
 * people's webhooks (BENCHMARKS.md, "the dialer's lane under 200 answers"). If the group fails, its works run one
 * by one as before, so one bad work fails alone.
 */
final class GroupCommit {

    private record Work<T>(Callable<T> work, CompletableFuture<T> result) {
    }

    private final Executor lane;
    /** Runs the work in one transaction, commands after the commit; throws with nothing stored if it fails. */
    private final Consumer<Runnable> inOneTransaction;
    private final Queue<Work<?>> queued = new ConcurrentLinkedQueue<>();
    /** A drain is queued on the lane and has not started: it takes whatever is queued by then. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();

    GroupCommit(Executor lane, Consumer<Runnable> inOneTransaction) {
        this.lane = lane;
        this.inOneTransaction = inOneTransaction;
    }

    /**
     * Runs the work on the lane with whatever else is queued and waits at most {@code within} for its result. On a
     * timeout the work stays queued and still runs; only the caller stops waiting for it.
     */
    <T> T submit(Callable<T> work, Duration within) throws TimeoutException {
        return DialerLane.await(queue(work), within);
    }

    /** Queues the work with whatever else is queued, without waiting: its result once its group committed. */
    <T> CompletableFuture<T> queue(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        queued.add(new Work<>(work, result));
        if (drainQueued.compareAndSet(false, true)) {
            lane.execute(this::drain);
        }
        return result;
    }

    /** Works waiting for the lane (for tests). */
    int waiting() {
        return queued.size();
    }

    /** On the lane. */
    private void drain() {
        drainQueued.set(false);
        List<Work<?>> group = new ArrayList<>();
        for (Work<?> w = queued.poll(); w != null; w = queued.poll()) {
            group.add(w);
        }
        if (group.isEmpty()) {
            return;
        }
        if (group.size() > 1) {
            List<Object> results = new ArrayList<>();
            try {
                inOneTransaction.accept(() -> {
                    for (Work<?> w : group) {
                        results.add(call(w.work()));
                    }
                });
            } catch (RuntimeException e) {
                if (DatabaseOutage.isOutage(e)) {
                    group.forEach(w -> w.result().completeExceptionally(e));
                    return;
                }
                group.forEach(this::alone);  // nothing of the group is stored: each again, alone
                return;
            }
            for (int i = 0; i < group.size(); i++) {
                complete(group.get(i), results.get(i));
            }
            return;
        }
        alone(group.getFirst());
    }

    private <T> void alone(Work<T> w) {
        List<T> result = new ArrayList<>(1);
        try {
            inOneTransaction.accept(() -> result.add(call(w.work())));
        } catch (RuntimeException e) {
            w.result().completeExceptionally(e);
            return;
        }
        w.result().complete(result.getFirst());
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Work<T> w, Object result) {
        w.result().complete((T) result);
    }

    private static <T> T call(Callable<T> work) {
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
