package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.callcenter.dialer.HandleTimes.Busy.AWAY;
import static io.callcenter.dialer.HandleTimes.Busy.FREE;
import static io.callcenter.dialer.HandleTimes.Busy.ON_CALL;
import static io.callcenter.dialer.HandleTimes.Busy.WRAP_UP;
import static org.assertj.core.api.Assertions.assertThat;

/** Talk and wrap-up times learnt from the agents' states alone, on a fake clock. */
class HandleTimesTest {

    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private final UUID alice = new UUID(0, 1);
    private final HandleTimes handles = new HandleTimes();

    /** Alice talks {@code talk} s then wraps up {@code wrap} s, {@code times} times, seen once a second. */
    static Instant handles(HandleTimes handles, UUID agent, Instant from, int times, int talk, int wrap) {
        Instant t = from;
        for (int i = 0; i < times; i++) {
            Instant call = t;
            Instant wrapUp = call.plusSeconds(talk);
            Instant free = wrapUp.plusSeconds(wrap);
            for (Instant s = call; !s.isAfter(free); s = s.plusSeconds(1)) {
                HandleTimes.AgentNow now = s.isBefore(wrapUp) ? new HandleTimes.AgentNow(agent, ON_CALL, call)
                        : s.isBefore(free) ? new HandleTimes.AgentNow(agent, WRAP_UP, wrapUp)
                        : new HandleTimes.AgentNow(agent, FREE, free);
                handles.observe(List.of(now), s);
            }
            t = free.plusSeconds(1);
        }
        return t;
    }

    @Test
    void a_call_then_a_wrap_up_then_free_is_one_handle() {
        handles(handles, alice, T0, 3, 100, 40);
        assertThat(handles.samples()).isEqualTo(3);
        assertThat(handles.learnt()).isFalse();
    }

    @Test
    void an_agent_late_in_a_wrap_up_counts_as_free_one_early_in_a_call_does_not() {
        handles(handles, alice, T0, HandleTimes.MIN_SAMPLES, 100, 40);
        assertThat(handles.learnt()).isTrue();
        assertThat(handles.freeWithin(WRAP_UP, 35, 8)).as("every wrap-up lasted 40 s").isEqualTo(1.0);
        assertThat(handles.freeWithin(WRAP_UP, 10, 8)).isZero();
        assertThat(handles.freeWithin(ON_CALL, 10, 8)).as("talk and wrap-up still to come").isZero();
        assertThat(handles.freeWithin(ON_CALL, 99, 45)).as("a second of talk and the wrap-up left").isEqualTo(1.0);
        assertThat(handles.freeWithin(FREE, 0, 8)).isEqualTo(1.0);
        assertThat(handles.freeWithin(AWAY, 0, 8)).isZero();
    }

    @Test
    void an_agent_who_goes_on_break_after_wrapping_up_teaches_nothing() {
        Instant t = handles(handles, alice, T0, 2, 100, 40);
        handles.observe(List.of(new HandleTimes.AgentNow(alice, ON_CALL, t)), t);
        handles.observe(List.of(new HandleTimes.AgentNow(alice, WRAP_UP, t.plusSeconds(50))), t.plusSeconds(50));
        handles.observe(List.of(new HandleTimes.AgentNow(alice, AWAY, t.plusSeconds(60))), t.plusSeconds(60));
        handles.observe(List.of(new HandleTimes.AgentNow(alice, FREE, t.plusSeconds(900))), t.plusSeconds(900));
        assertThat(handles.samples()).isEqualTo(2);
    }

    @Test
    void the_chance_of_ending_within_the_horizon_is_read_from_those_that_lasted_longer() {
        double[] sorted = {30, 40, 50, 60, 90};
        assertThat(HandleTimes.endsWithin(sorted, 0, 10)).isEqualTo(0.0);
        assertThat(HandleTimes.endsWithin(sorted, 35, 10)).isEqualTo(1 / 4.0);
        assertThat(HandleTimes.endsWithin(sorted, 55, 10)).isEqualTo(1 / 2.0);
        assertThat(HandleTimes.endsWithin(sorted, 95, 10)).as("longer than any seen").isEqualTo(0.0);
    }
}
