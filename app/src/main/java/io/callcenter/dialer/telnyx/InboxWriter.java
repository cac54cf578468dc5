package io.callcenter.dialer.telnyx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Group commit for the webhook inbox: concurrent webhooks wait here while one writer stores everything that has
 * arrived in one statement (one commit, one WAL flush), then each request is answered with its own outcome. A
 * webhook is still acknowledged only after its row is durable; what changes is that a burst costs one commit per
 * batch instead of one per event and one pooled connection instead of one per request (BENCHMARKS.md, "Webhook
 * intake": per-request commits filled the pool at 500 events/s, and the pool's timeouts then read as a database
 * outage for the whole app). No waiting to fill a batch: a batch is whatever queued while the previous one was
 * committing, so a lone webhook is written at once.
 */
final class InboxWriter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InboxWriter.class);

    /** One webhook to store; {@code done} completes with true (stored now) or false (stored before: a redelivery). */
    record Pending(TelnyxEvent event, String body, java.time.Instant receivedAt, CompletableFuture<Boolean> done) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Function<List<Pending>, Set<String>> insertBatch;
    private final int maxBatch;
    private final Duration maxWait;
    private volatile boolean running = true;
    private final Thread writer;

    /**
     * @param insertBatch stores the batch in one statement and returns the event ids it inserted (not the ones that
     *                    were there already); throws if nothing was stored
     * @param maxWait     how long a request waits for its batch before answering that it was not stored
     */
    InboxWriter(Function<List<Pending>, Set<String>> insertBatch, int maxBatch, Duration maxWait) {
        this.insertBatch = insertBatch;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.writer = Thread.ofPlatform().daemon().name("telnyx-inbox-writer").start(this::run);
    }

    /** Blocks until the event's batch is committed: true if stored now, false if it was stored before. */
    boolean store(TelnyxEvent event, String body, java.time.Instant receivedAt) {
        if (!running) {
            throw new IllegalStateException("the inbox writer is stopped");
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        queue.add(new Pending(event, body, receivedAt, done));
        try {
            return done.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new org.springframework.dao.QueryTimeoutException("webhook not stored within " + maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a webhook", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                break;
            } finally {
                batch.clear();
            }
        }
        for (Pending left; (left = queue.poll()) != null; ) {
            left.done().completeExceptionally(new IllegalStateException("the inbox writer stopped"));
        }
    }

    /** Each request learns its own outcome; a redelivery inside the same batch is a duplicate like any other. */
    void write(List<Pending> batch) {
        Set<String> inserted;
        try {
            inserted = insertBatch.apply(batch);
        } catch (RuntimeException e) {
            log.debug("inbox batch of {} not stored: {}", batch.size(), e.toString());
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        Set<String> answered = new HashSet<>();
        for (Pending p : batch) {
            String id = p.event().eventId();
            p.done().complete(inserted.contains(id) && answered.add(id));
        }
    }

    /** Requests waiting for the next batch (tests wait on it instead of sleeping). */
    int queued() {
        return queue.size();
    }

    void stop() {
        running = false;
        writer.interrupt();
    }
}
