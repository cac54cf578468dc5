package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Predictive decisions on a fake clock: what it learns from the agents' states and whom it dials for. */
class PredictivePacerTest {

    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private final UUID campaign = UUID.randomUUID();
    private final UUID alice = new UUID(0, 1);
    private final UUID bob = new UUID(0, 2);
    private final PredictivePacer pacer = new PredictivePacer();
    private final PredictivePacer.Yield yield = new PredictivePacer.Yield(100, 10, 8);

    /** Alice wraps up for {@code seconds} and is free again, {@code times} times: wrap-ups the pacer learns. */
    private Instant learnWrapUps(int times, int seconds) {
        Instant t = T0;
        for (int i = 0; i < times; i++) {
            pacer.forecast(campaign, team(0, Map.of(alice, t), Set.of()), 2.0, t);
            t = t.plusSeconds(seconds);
            pacer.forecast(campaign, team(1, Map.of(), Set.of(alice)), 2.0, t);
            t = t.plusSeconds(1);
        }
        return t;
    }

    private PredictivePacer.Team team(int available, Map<UUID, Instant> wrapping, Set<UUID> free) {
        return new PredictivePacer.Team(available, 0, 0, wrapping, free, yield);
    }

    @Test
    void before_it_has_seen_enough_wrap_ups_it_dials_only_for_free_agents() {
        Instant t = learnWrapUps(PredictivePacer.MIN_SAMPLES - 1, 60);
        PredictivePacer.Forecast f = pacer.forecast(campaign, team(1, Map.of(bob, t.minusSeconds(59)), Set.of(alice)), 2.0, t);
        assertThat(f.predicting()).isFalse();
        assertThat(f.expectedFree()).isEqualTo(1);
        assertThat(f.dialsToStart()).isEqualTo(2);
    }

    @Test
    void an_agent_near_the_end_of_a_wrap_up_counts_as_free_one_who_just_started_does_not() {
        Instant t = learnWrapUps(PredictivePacer.MIN_SAMPLES, 60);
        Map<UUID, Instant> wrapping = new HashMap<>();
        wrapping.put(bob, t.minusSeconds(55));
        PredictivePacer.Forecast nearEnd = pacer.forecast(campaign, team(0, wrapping, Set.of()), 2.0, t);
        assertThat(nearEnd.predicting()).isTrue();
        assertThat(nearEnd.expectedFree()).as("every wrap-up seen lasted 60 s: 55 s in, it ends within 8 s").isEqualTo(1);
        assertThat(nearEnd.dialsToStart()).isEqualTo(2);

        UUID carol = new UUID(0, 3);
        PredictivePacer.Forecast justStarted = pacer.forecast(UUID.randomUUID(),
                team(0, Map.of(carol, t.minusSeconds(5)), Set.of()), 2.0, t);
        assertThat(justStarted.dialsToStart()).as("another campaign has learnt nothing yet").isZero();
    }

    @Test
    void at_the_guards_hard_back_off_nobody_busy_is_counted() {
        Instant t = learnWrapUps(PredictivePacer.MIN_SAMPLES, 60);
        PredictivePacer.Forecast f = pacer.forecast(campaign, team(0, Map.of(bob, t.minusSeconds(58)), Set.of()),
                Pacer.MIN_RATIO, t);
        assertThat(f.predicting()).isFalse();
        assertThat(f.dialsToStart()).isZero();
    }

    @Test
    void an_agent_who_goes_on_break_after_wrapping_up_teaches_nothing() {
        Instant t = learnWrapUps(PredictivePacer.MIN_SAMPLES - 1, 60);
        pacer.forecast(campaign, team(0, Map.of(bob, t), Set.of()), 2.0, t);
        pacer.forecast(campaign, team(0, Map.of(), Set.of()), 2.0, t.plusSeconds(600));
        assertThat(pacer.samples(campaign)).isEqualTo(PredictivePacer.MIN_SAMPLES - 1);
    }

    @Test
    void the_chance_of_ending_within_the_horizon_is_read_from_the_wrap_ups_that_lasted_longer() {
        double[] sorted = {30, 40, 50, 60, 90};
        assertThat(PredictivePacer.endsWithin(sorted, 0, 10)).isEqualTo(0.0);
        assertThat(PredictivePacer.endsWithin(sorted, 35, 10)).isEqualTo(1 / 4.0);
        assertThat(PredictivePacer.endsWithin(sorted, 55, 10)).isEqualTo(1 / 2.0);
        assertThat(PredictivePacer.endsWithin(sorted, 95, 10)).as("longer than any seen").isEqualTo(0.0);
    }
}
