package io.callcenter.call.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LanesOrderingTest {

    @Test
    void each_keys_tasks_run_one_at_a_time_in_submission_order_while_keys_run_in_parallel() throws Exception {
        int keys = 50;
        int tasksPerKey = 200;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            Lanes<Integer> lanes = new Lanes<>(pool);
            Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
            Map<Integer, AtomicBoolean> busy = new ConcurrentHashMap<>();
            AtomicInteger overlaps = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(keys * tasksPerKey);
            for (int i = 0; i < tasksPerKey; i++) {
                for (int key = 0; key < keys; key++) {
                    int k = key;
                    int n = i;
                    lanes.execute(k, () -> {
                        if (!busy.computeIfAbsent(k, x -> new AtomicBoolean()).compareAndSet(false, true)) {
                            overlaps.incrementAndGet();
                        }
                        seen.computeIfAbsent(k, x -> Collections.synchronizedList(new ArrayList<>())).add(n);
                        busy.get(k).set(false);
                        done.countDown();
                    });
                }
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps.get()).isZero();
            List<Integer> expected = java.util.stream.IntStream.range(0, tasksPerKey).boxed().toList();
            // Every key ran (an empty map would pass the check below for none).
            assertThat(seen).hasSize(keys);
            seen.values().forEach(order -> assertThat(order).isEqualTo(expected));
            awaitRetired(lanes);
        }
    }

    @Test
    void a_failing_task_does_not_stop_the_lane() {
        Lanes<String> lanes = new Lanes<>(Runnable::run);
        List<String> ran = new ArrayList<>();
        lanes.execute("call", () -> ran.add("first"));
        lanes.execute("call", () -> {
            throw new IllegalStateException("boom");
        });
        lanes.execute("call", () -> ran.add("third"));
        assertThat(ran).containsExactly("first", "third");
        assertThat(lanes.activeLanes()).isZero();
    }

    private static void awaitRetired(Lanes<?> lanes) throws InterruptedException {
        for (int i = 0; i < 200 && lanes.activeLanes() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(lanes.activeLanes()).as("lanes retire when empty").isZero();
    }
}
