package io.callcenter.call.engine;

import io.callcenter.call.Direction;
import io.callcenter.call.model.Call;
import io.callcenter.call.model.Origin;
import io.callcenter.call.recording.Recordings;
import io.callcenter.call.store.CallStore;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The save off the call's lane ({@link CallSaves}): the writer's thread, the call's lane and the retry timer are
 * each a queue these tests run by hand, so a write can be in flight while the call's next step renders.
 */
class CallWriteBehindTest {

    private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");

    /** What the database holds: each committed write as the events of its transitions. */
    private final List<List<String>> committed = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private RuntimeException outage;
    /** Run inside the next write, as if the call's lane went on while the write was in flight. */
    private Runnable duringWrite;

    private record Rendered(List<String> events) implements CallStore.Write {
        @Override
        public int transitions() {
            return events.size();
        }

        @Override
        public CallStore.Write then(CallStore.Write later) {
            List<String> both = new ArrayList<>(events);
            both.addAll(((Rendered) later).events);
            return new Rendered(both);
        }
    }

    private final CallStore store = new CallStore() {
        @Override
        public Write render(Call call, List<Call.Transition> transitions) {
            return transitions.isEmpty() ? null : new Rendered(transitions.stream().map(Call.Transition::event).toList());
        }

        @Override
        public void write(Write write) {
            if (duringWrite != null) {
                Runnable step = duringWrite;
                duringWrite = null;
                step.run();
            }
            if (outage != null) {
                throw outage;
            }
            committed.add(((Rendered) write).events());
            log.add("call rows " + ((Rendered) write).events());
        }

        @Override
        public io.callcenter.call.store.CallView view(Call call, List<Call.Transition> history) {
            return CallEngineFixture.SavedCalls.viewOf(call, history);
        }

        @Override public List<UUID> openCallIds() { return List.of(); }
        @Override public List<String> openLegChannelIds() { return List.of(); }
        @Override public Optional<Call> loadOpen(UUID id) { return Optional.empty(); }
        @Override public void recordingStarted(UUID callId, String name, String format, Instant at) {
            if (outage != null) {
                throw outage;
            }
            log.add("recording row " + name);
        }
        @Override public void recordingFinished(String name, Instant at, Recordings.FileFacts facts, boolean recovered) { }
    };

    private final Queue<Runnable> writerThread = new ArrayDeque<>();
    private final Queue<Runnable> lane = new ArrayDeque<>();
    private final Queue<Runnable> timer = new ArrayDeque<>();
    private final List<Duration> retryDelays = new ArrayList<>();
    private final CallSaves saves = new CallSaves(store, (callId, after, task) -> {
        retryDelays.add(after);
        timer.add(task);
    }, (callId, task) -> lane.add(task), writerThread::add);

    private final Call call = Call.start(UUID.randomUUID(), Origin.INBOUND, Direction.INBOUND, "+15551230000",
            "+15550100", T0, "inbound call");

    private static void runAll(Queue<Runnable> queue) {
        while (!queue.isEmpty()) {
            queue.poll().run();
        }
    }

    /** Everything that is due, as time passing would run it. */
    private void settle() {
        while (!writerThread.isEmpty() || !lane.isEmpty()) {
            runAll(writerThread);
            runAll(lane);
        }
    }

    @Test
    void the_save_returns_before_the_write_and_the_transitions_count_as_saved_only_once_committed() {
        saves.save(call, List.of());

        assertThat(committed).as("nothing written on the lane").isEmpty();
        assertThat(call.unsavedTransitions()).hasSize(1);

        runAll(writerThread);
        assertThat(committed).containsExactly(List.of("inbound call"));
        assertThat(call.unsavedTransitions()).as("told on the lane, not yet run").hasSize(1);
        runAll(lane);
        assertThat(call.unsavedTransitions()).isEmpty();
    }

    @Test
    void a_step_rendered_while_a_write_is_in_flight_writes_only_its_own_transitions_after_it() {
        saves.save(call, List.of());
        duringWrite = () -> {
            call.note(T0.plusMillis(5), "agent rang", "1001");
            saves.save(call, List.of());
        };

        settle();

        assertThat(committed).containsExactly(List.of("inbound call"), List.of("agent rang"));
        assertThat(call.unsavedTransitions()).isEmpty();
        assertThat(saves.waiting()).isZero();
    }

    @Test
    void steps_rendered_while_the_writer_is_busy_wait_as_one_write_in_order() {
        saves.save(call, List.of());
        call.note(T0.plusMillis(1), "one", null);
        saves.save(call, List.of());
        call.note(T0.plusMillis(2), "two", null);
        saves.save(call, List.of());

        settle();

        assertThat(committed).containsExactly(List.of("inbound call", "one", "two"));
        assertThat(call.unsavedTransitions()).isEmpty();
    }

    @Test
    void what_waits_for_the_save_is_told_only_after_the_commit_on_the_calls_lane() {
        List<String> told = new ArrayList<>();
        saves.save(call, List.of(() -> told.add("connected, with " + committed.size() + " write(s) committed")));

        runAll(writerThread);
        assertThat(told).isEmpty();
        runAll(lane);
        assertThat(told).containsExactly("connected, with 1 write(s) committed");
    }

    @Test
    void a_notice_with_nothing_to_write_and_nothing_waiting_is_told_at_once() {
        saves.save(call, List.of());
        settle();
        List<String> told = new ArrayList<>();

        saves.save(call, List.of(() -> told.add("connected")));

        assertThat(told).containsExactly("connected");
    }

    @Test
    void the_database_away_the_write_is_retried_with_backoff_and_later_steps_are_written_after_it_once() {
        outage = new DataAccessResourceFailureException("Connection to 127.0.0.1:5433 refused");
        saves.save(call, List.of());
        settle();
        assertThat(saves.waiting()).isEqualTo(1);

        call.note(T0.plusSeconds(1), "agent rang", "1001");
        saves.save(call, List.of());
        call.note(T0.plusSeconds(2), "caller hung up", null);
        saves.save(call, List.of());
        settle();
        assertThat(committed).isEmpty();

        runAll(timer); // still away
        settle();
        assertThat(retryDelays).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));

        outage = null;
        runAll(timer);
        settle();
        assertThat(committed).containsExactly(List.of("inbound call", "agent rang", "caller hung up"));
        assertThat(call.unsavedTransitions()).isEmpty();
        assertThat(saves.waiting()).isZero();
        runAll(timer);
        assertThat(committed).as("written once").hasSize(1);
    }

    @Test
    void a_call_another_instance_adopted_is_not_written_again_from_here() {
        outage = new DataAccessResourceFailureException("Connection refused");
        saves.save(call, List.of());
        settle();

        saves.forget(call.id);
        outage = null;
        runAll(timer);
        settle();

        assertThat(committed).isEmpty();
        assertThat(saves.waiting()).isZero();
    }

    @Test
    void a_recording_row_is_written_after_the_call_rows_rendered_before_it() {
        saves.save(call, List.of());
        saves.ordered(call.id, () -> store.recordingStarted(call.id, "rec-1", "wav", T0));

        assertThat(log).isEmpty();
        settle();
        assertThat(log).containsExactly("call rows [inbound call]", "recording row rec-1");
    }

    @Test
    void a_recording_row_with_nothing_of_the_call_waiting_is_written_at_once() {
        saves.save(call, List.of());
        settle();

        saves.ordered(call.id, () -> store.recordingStarted(call.id, "rec-1", "wav", T0));

        assertThat(log).containsExactly("call rows [inbound call]", "recording row rec-1");
    }
}
