package io.callcenter.call.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedShutdownTest {

    @Test
    void a_task_that_never_ends_on_its_own_is_interrupted_once_the_bound_passed_and_the_executor_terminates() throws Exception {
        ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        lanes.execute(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(); // a save retried forever
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        running.await();

        BoundedShutdown.close(lanes, Duration.ofMillis(50));

        assertThat(lanes.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).isTrue();
    }

    @Test
    void tasks_that_finish_within_the_bound_are_not_interrupted() throws Exception {
        ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor();
        AtomicBoolean finished = new AtomicBoolean();
        lanes.execute(() -> finished.set(true));

        BoundedShutdown.close(lanes, Duration.ofSeconds(30));

        assertThat(lanes.isTerminated()).isTrue();
        assertThat(finished).isTrue();
    }
}
