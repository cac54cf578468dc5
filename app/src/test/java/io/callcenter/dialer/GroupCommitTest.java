package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims and notifications queued while the dialer's lane is busy: stored together, each answered after the commit. */
class GroupCommitTest {

    private final ConcurrentLinkedQueue<Runnable> lane = new ConcurrentLinkedQueue<>();
    private final List<String> stored = new ArrayList<>();
    private final List<String> answeredAtCommit = new ArrayList<>();
    private final List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
    private int transactions;

    /** What PostgreSQL does: all of the work stored, or none of it. */
    private final Consumer<Runnable> inOneTransaction = work -> {
        transactions++;
        List<String> before = List.copyOf(stored);
        try {
            work.run();
        } catch (RuntimeException e) {
            stored.clear();
            stored.addAll(before);
            throw e;
        }
        answeredAtCommit.addAll(answered);
    };

    private final GroupCommit group = new GroupCommit(lane::add, inOneTransaction);

    private List<Future<String>> submitWhileTheLaneIsBusy(ExecutorService callers, String... works) throws Exception {
        List<Future<String>> results = new ArrayList<>();
        for (String w : works) {
            results.add(callers.submit(() -> {
                String r = group.submit(() -> {
                    if (w.startsWith("bad")) {
                        throw new IllegalStateException("refused: " + w);
                    }
                    stored.add(w);
                    return w + " stored";
                }, Duration.ofSeconds(10));
                answered.add(w);
                return r;
            }));
            // One at a time: callers on their own threads would otherwise join the queue in any order.
            while (group.waiting() < results.size()) {
                Thread.sleep(1);
            }
        }
        return results;
    }

    private void laneGetsFree() {
        for (Runnable task = lane.poll(); task != null; task = lane.poll()) {
            task.run();
        }
    }

    @Test
    void works_queued_while_the_lane_is_busy_are_stored_in_one_transaction_and_answered_after_its_commit() throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = submitWhileTheLaneIsBusy(callers, "claim 1", "claim 2", "connected 1");

            laneGetsFree();

            assertThat(results.get(0).get()).isEqualTo("claim 1 stored");
            assertThat(results.get(1).get()).isEqualTo("claim 2 stored");
            assertThat(results.get(2).get()).isEqualTo("connected 1 stored");
        }
        assertThat(transactions).as("one commit for the three").isEqualTo(1);
        assertThat(stored).containsExactly("claim 1", "claim 2", "connected 1");
        assertThat(answeredAtCommit).as("no caller answered before the commit").isEmpty();
    }

    @Test
    void a_group_with_a_failing_work_is_undone_and_each_runs_alone_so_only_that_one_fails() throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = submitWhileTheLaneIsBusy(callers, "claim 1", "bad claim", "claim 3");

            laneGetsFree();

            assertThat(results.get(0).get()).isEqualTo("claim 1 stored");
            assertThat(results.get(2).get()).isEqualTo("claim 3 stored");
            assertThat(results.get(1)).failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat().withMessageContaining("refused: bad claim");
        }
        assertThat(transactions).as("the group, then each alone").isEqualTo(1 + 3);
        assertThat(stored).as("nothing twice: the group's work was undone").containsExactly("claim 1", "claim 3");
    }
}
