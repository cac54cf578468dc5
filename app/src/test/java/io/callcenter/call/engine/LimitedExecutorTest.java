package io.callcenter.call.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

class LimitedExecutorTest {

    /** Runs what it was given only when told: the tasks "in flight" are those handed over and not yet run. */
    private static final class ByHand implements java.util.concurrent.Executor {
        final Queue<Runnable> handed = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            handed.add(task);
        }

        void runOne() {
            handed.remove().run();
        }
    }

    @Test
    void no_more_than_the_limit_run_at_once_and_the_rest_follow_in_order() {
        ByHand delegate = new ByHand();
        LimitedExecutor limited = new LimitedExecutor(delegate, 2);
        List<String> ran = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            limited.execute(() -> ran.add(name));
        }
        assertThat(delegate.handed).as("two handed over, two waiting").hasSize(2);

        delegate.runOne();
        assertThat(ran).as("the first slot runs its task, then the waiting ones in order").containsExactly("a", "c", "d");
        delegate.runOne();
        assertThat(ran).containsExactly("a", "c", "d", "b");

        limited.execute(() -> ran.add("e"));
        assertThat(delegate.handed).as("slots free again: handed over at once").hasSize(1);
    }

    @Test
    void a_failing_task_frees_its_slot_for_the_next() {
        ByHand delegate = new ByHand();
        LimitedExecutor limited = new LimitedExecutor(delegate, 1);
        List<String> ran = new ArrayList<>();
        limited.execute(() -> {
            throw new IllegalStateException("boom");
        });
        limited.execute(() -> ran.add("after"));
        delegate.runOne();
        assertThat(ran).containsExactly("after");
        limited.execute(() -> ran.add("later"));
        assertThat(delegate.handed).hasSize(1);
    }
}
