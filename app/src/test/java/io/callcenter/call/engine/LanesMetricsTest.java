package io.callcenter.call.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/** What the lanes tell operators: tasks waiting, and one wait observed per task run. */
class LanesMetricsTest {

    @Test
    void tasks_count_as_queued_until_they_start_and_each_start_reports_its_wait() {
        Queue<Runnable> executor = new ArrayDeque<>();
        Lanes<String> lanes = new Lanes<>(executor::add);
        List<Long> waits = new ArrayList<>();
        lanes.observeWaits(waits::add);
        List<String> ran = new ArrayList<>();

        lanes.execute("call-1", () -> ran.add("a"));
        lanes.execute("call-1", () -> {
            ran.add("b");
            assertThat(lanes.queuedTasks()).as("b is running; c and call-2's d wait").isEqualTo(2);
        });
        lanes.execute("call-1", () -> ran.add("c"));
        lanes.execute("call-2", () -> ran.add("d"));

        assertThat(lanes.queuedTasks()).isEqualTo(4);
        assertThat(lanes.activeLanes()).isEqualTo(2);
        while (!executor.isEmpty()) {
            executor.poll().run();
        }
        assertThat(ran).containsExactly("a", "b", "c", "d");
        assertThat(lanes.queuedTasks()).isZero();
        assertThat(lanes.activeLanes()).isZero();
        assertThat(waits).hasSize(4).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
    }
}
