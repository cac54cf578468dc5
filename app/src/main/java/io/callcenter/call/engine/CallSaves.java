package io.callcenter.call.engine;

import io.callcenter.call.model.Call;
import io.callcenter.call.store.CallStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The engine's save step, off the call's lane (issue 14: nothing between the caller's INVITE and the agent's
 * answer waits for a commit). On the lane a step's save only renders the call's rows and its new transitions
 * ({@link CallStore#render}, a snapshot no later step alters) and hands them to the call's writer, which commits
 * them on its own thread, one write at a time per call, in the order rendered. So the commands of a step go out
 * first and its transitions follow, in order and whole.
 *
 * <p>Bounded: a call has at most one write in flight and one waiting; a step rendered while both are taken is
 * merged into the waiting one (the later rows replace the earlier, which would only be overwritten; the
 * transitions are appended in order). So what waits is bounded by the live calls, not by their steps, and a
 * database outage holds one merged write per call: the write that fails is retried, with backoff, until the
 * database takes it, and nothing rendered after it is written before it. A transition counts as saved
 * ({@link Call#transitionsSaved}) only once its transaction committed, told on the call's lane; so is what had to
 * wait for the save ({@code afterCommit}). The dialler's "connected" does not: it is told from the lane the moment
 * person and agent hear each other (under database pressure it queued behind every other call's write).
 *
 * <p>Writes of other tables that name the call (its recording's row, {@link #ordered}) join the same writer, so
 * they never reach the database before the call's row. An ended call's writes finish after it left the engine.
 * What a crash loses is what was rendered and not committed: as before (a step's commands always went out before
 * its save), the instance that adopts the call settles it from its last written state and Asterisk's channels.
 */
final class CallSaves {

    private static final Logger log = LoggerFactory.getLogger(CallSaves.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    /** Runs a task after a delay (the call timer). */
    interface Later {
        void run(UUID callId, Duration after, Runnable task);
    }

    /** What a call's writer holds: the write in flight (if any) and the one waiting, with their notices. */
    private static final class Writer {
        final Call call;
        Pending waiting;
        boolean writing;
        volatile boolean failing;
        boolean forgotten;
        /** Transitions handed to writes and not yet known to be committed (read and changed on the lane only). */
        int rendered;

        Writer(Call call) {
            this.call = call;
        }
    }

    /** A write of the call's rows (may be null: only other writes), the other writes after it, the notices. */
    private record Pending(CallStore.Write write, List<Runnable> others, List<Runnable> afterCommit) {
        Pending then(Pending later) {
            CallStore.Write both = write == null ? later.write : later.write == null ? write : write.then(later.write);
            return new Pending(both, concat(others, later.others), concat(afterCommit, later.afterCommit));
        }

        int transitions() {
            return write == null ? 0 : write.transitions();
        }

        private static List<Runnable> concat(List<Runnable> first, List<Runnable> second) {
            List<Runnable> both = new ArrayList<>(first);
            both.addAll(second);
            return both;
        }
    }

    private final CallStore store;
    private final Later later;
    private final BiConsumer<UUID, Runnable> onLane;
    private final Executor writers;
    private final Map<UUID, Writer> byCall = new ConcurrentHashMap<>();

    CallSaves(CallStore store, Later later, BiConsumer<UUID, Runnable> onLane, Executor writers) {
        this.store = store;
        this.later = later;
        this.onLane = onLane;
        this.writers = writers;
    }

    /**
     * On the call's lane, after a step: renders what changed and hands it to the call's writer. {@code afterCommit}
     * runs on the call's lane once this step's transitions are in the database (at once if nothing was to write).
     */
    void save(Call call, List<Runnable> afterCommit) {
        Writer writer = byCall.computeIfAbsent(call.id, id -> new Writer(call));
        List<Call.Transition> unsaved = call.unsavedTransitions();
        List<Call.Transition> fresh = unsaved.subList(Math.min(writer.rendered, unsaved.size()), unsaved.size());
        CallStore.Write write = store.render(call, fresh);
        if (write == null && (afterCommit.isEmpty() || !isBusy(writer))) {
            // Nothing to write, and nothing in flight a notice would have to wait for.
            afterCommit.forEach(CallSaves::runNotice);
            retireIfIdle(call.id, writer);
            return;
        }
        writer.rendered += fresh.size();
        submit(call.id, writer, new Pending(write, List.of(), afterCommit));
    }

    /** A write of another table naming the call: after every write of the call rendered so far, and retried as they are. */
    void ordered(UUID callId, Runnable write) {
        Writer writer = byCall.get(callId);
        if (writer == null) {
            // Nothing of the call waits: no reason to hold it back.
            write.run();
            return;
        }
        submit(callId, writer, new Pending(null, List.of(write), List.of()));
    }

    /** A call another instance runs now: nothing more of it is written from here, not even a retry. */
    void forget(UUID callId) {
        Writer writer = byCall.remove(callId);
        if (writer != null) {
            synchronized (writer) {
                writer.forgotten = true;
                writer.waiting = null;
            }
        }
        store.forget(callId);
    }

    /** Calls whose writes the database is refusing now, live or ended. */
    int waiting() {
        return (int) byCall.values().stream().filter(writer -> writer.failing).count();
    }

    private static boolean isBusy(Writer writer) {
        synchronized (writer) {
            return writer.writing || writer.waiting != null;
        }
    }

    private void submit(UUID callId, Writer writer, Pending pending) {
        boolean start;
        synchronized (writer) {
            writer.waiting = writer.waiting == null ? pending : writer.waiting.then(pending);
            start = !writer.writing;
            writer.writing = true;
        }
        if (start) {
            writers.execute(() -> writeNext(callId, writer, FIRST_RETRY));
        }
    }

    /** On the writer's thread: the waiting write, then the next, until none waits. */
    private void writeNext(UUID callId, Writer writer, Duration retry) {
        while (true) {
            Pending next;
            synchronized (writer) {
                next = writer.waiting;
                writer.waiting = null;
                if (next == null || writer.forgotten) {
                    writer.writing = false;
                    return;
                }
            }
            try {
                if (next.write() != null) {
                    store.write(next.write());
                }
            } catch (RuntimeException e) {
                retryLater(callId, writer, next, retry, e);
                return;
            }
            if (writer.failing) {
                writer.failing = false;
                log.warn("call {}: saved after the database came back ({} transition(s) written in order)", callId,
                        next.transitions());
            }
            for (Runnable other : next.others()) {
                try {
                    other.run();
                } catch (RuntimeException e) {
                    log.error("call {}: a write after the call's failed", callId, e);
                }
            }
            onLane.accept(callId, () -> {
                writer.call.transitionsSaved(next.transitions());
                writer.rendered -= next.transitions();
                next.afterCommit().forEach(CallSaves::runNotice);
                retireIfIdle(callId, writer);
            });
        }
    }

    /**
     * On the call's lane: a writer with nothing in flight and nothing handed to it unconfirmed leaves (an ended call
     * leaves nothing behind). Only the lane renders and confirms, so no write can be handed to a retired writer.
     */
    private void retireIfIdle(UUID callId, Writer writer) {
        if (writer.rendered == 0 && !isBusy(writer)) {
            byCall.remove(callId, writer);
        }
    }

    /** The write failed: it goes back in front of whatever was rendered since, and is tried again later. */
    private void retryLater(UUID callId, Writer writer, Pending failed, Duration after, RuntimeException e) {
        synchronized (writer) {
            if (writer.forgotten) {
                writer.writing = false;
                return;
            }
            writer.waiting = writer.waiting == null ? failed : failed.then(writer.waiting);
        }
        if (!writer.failing) {
            writer.failing = true;
            log.error("call {}: could not be saved ({}); kept in memory with {} unsaved transition(s), retrying "
                    + "until the database takes it", callId, e.getMessage(), failed.transitions());
        }
        Duration next = after.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : after.multipliedBy(2);
        later.run(callId, after, () -> writers.execute(() -> writeNext(callId, writer, next)));
    }

    private static void runNotice(Runnable notice) {
        try {
            notice.run();
        } catch (RuntimeException e) {
            log.error("telling others of a saved step failed", e);
        }
    }
}
