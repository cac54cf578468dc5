package io.callcenter.dialer.telnyx;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxWriterTest {

    /** An inbox table: keeps the ids, inserts only new ones, as {@code on conflict do nothing returning} does. */
    private final Set<String> table = Collections.synchronizedSet(new HashSet<>());
    private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());

    private Set<String> insert(List<InboxWriter.Pending> batch) {
        batches.add(batch.size());
        Set<String> inserted = new HashSet<>();
        for (InboxWriter.Pending p : batch) {
            if (table.add(p.event().eventId())) {
                inserted.add(p.event().eventId());
            }
        }
        return inserted;
    }

    private static InboxWriter.Pending pending(String id) {
        return new InboxWriter.Pending(event(id), "{}", Instant.EPOCH, new CompletableFuture<>());
    }

    private static TelnyxEvent event(String id) {
        return new TelnyxEvent(id, "call.answered", Instant.EPOCH, "v3:1", null, null, null, null);
    }

    @Test
    void each_request_learns_its_own_outcome_and_a_redelivery_in_the_same_batch_is_a_duplicate() throws Exception {
        table.add("old");
        InboxWriter writer = new InboxWriter(this::insert, 10, Duration.ofSeconds(5));
        try {
            List<InboxWriter.Pending> batch = List.of(pending("a"), pending("old"), pending("b"), pending("a"));
            writer.write(batch);
            assertThat(batch.stream().map(p -> p.done().join()).toList()).containsExactly(true, false, true, false);
            assertThat(table).containsExactlyInAnyOrder("old", "a", "b");
        } finally {
            writer.stop();
        }
    }

    @Test
    void a_batch_that_cannot_be_stored_fails_every_request_in_it_so_each_is_answered_503_and_redelivered() {
        RuntimeException down = new org.springframework.dao.DataAccessResourceFailureException("database away");
        InboxWriter writer = new InboxWriter(batch -> {
            throw down;
        }, 10, Duration.ofSeconds(5));
        try {
            List<InboxWriter.Pending> batch = List.of(pending("a"), pending("b"));
            writer.write(batch);
            for (InboxWriter.Pending p : batch) {
                assertThatThrownBy(() -> p.done().get()).isInstanceOf(ExecutionException.class).hasCause(down);
            }
            // Through store(): the caller gets the data access exception itself (the controller answers 503 on it).
            assertThatThrownBy(() -> writer.store(event("c"), "{}", Instant.EPOCH)).isSameAs(down);
        } finally {
            writer.stop();
        }
    }

    @Test
    void webhooks_arriving_while_a_batch_commits_are_stored_together_in_the_next_one() throws Exception {
        CountDownLatch firstCommitHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InboxWriter writer = new InboxWriter(batch -> {
            if (batches.isEmpty()) {
                firstCommitHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return insert(batch);
        }, 100, Duration.ofSeconds(30));
        try {
            List<CompletableFuture<Boolean>> answers = new ArrayList<>();
            answers.add(CompletableFuture.supplyAsync(() -> writer.store(event("first"), "{}", Instant.EPOCH)));
            assertThat(firstCommitHeld.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 49; i++) {
                String id = "e" + i;
                answers.add(CompletableFuture.supplyAsync(() -> writer.store(event(id), "{}", Instant.EPOCH),
                        r -> Thread.ofVirtual().start(r)));
            }
            while (writer.queued() < 49) {
                Thread.onSpinWait();
            }
            release.countDown();
            assertThat(answers.stream().map(CompletableFuture::join).toList()).hasSize(50).containsOnly(true);
            assertThat(batches).containsExactly(1, 49);
            assertThat(table).hasSize(50);
        } finally {
            writer.stop();
        }
    }
}
