package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Predictive decisions on a fake clock: whom it dials for, and how many dials. */
class PredictivePacerTest {

    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private static final PredictivePacer.Budget CLEAN = new PredictivePacer.Budget(0, 0, 0.03);
    private final UUID campaign = UUID.randomUUID();
    private final UUID alice = new UUID(0, 1);
    private final UUID bob = new UUID(0, 2);
    private final PredictivePacer pacer = new PredictivePacer(Duration.ofSeconds(15));

    /** The pacer sees alice's handles (100 s talk, 40 s wrap-up) and 100 dials, one in five a person after 12 s. */
    private Instant learn() {
        UUID other = UUID.randomUUID();
        Instant t = T0;
        // The same snapshots the engine would give, fed through the pacer's forecast as the engine does.
        for (int handle = 0; handle < HandleTimes.MIN_SAMPLES; handle++) {
            for (int s = 0; s <= 140; s += 1) {
                HandleTimes.AgentNow a = s < 100 ? new HandleTimes.AgentNow(alice, HandleTimes.Busy.ON_CALL, t)
                        : s < 140 ? new HandleTimes.AgentNow(alice, HandleTimes.Busy.WRAP_UP, t.plusSeconds(100))
                        : new HandleTimes.AgentNow(alice, HandleTimes.Busy.FREE, t.plusSeconds(140));
                pacer.forecast(campaign, team(0, List.of(a), List.of()), 3.0, CLEAN, t.plusSeconds(s));
            }
            t = t.plusSeconds(141);
        }
        for (int i = 0; i < 100; i++) {
            UUID id = new UUID(7, i);
            pacer.forecast(campaign, team(0, List.of(), List.of(new DialYield.DialNow(id, t, null, false))), 3.0, CLEAN,
                    t.plusSeconds(1));
            if (i % 5 == 0) {
                pacer.forecast(campaign, team(0, List.of(), List.of(new DialYield.DialNow(id, t, t.plusSeconds(12), true))),
                        3.0, CLEAN, t.plusSeconds(12));
            }
            t = t.plusSeconds(13);
            pacer.forecast(campaign, team(0, List.of(), List.of()), 3.0, CLEAN, t);
        }
        return t;
    }

    private static PredictivePacer.Team team(int available, List<HandleTimes.AgentNow> agents, List<DialYield.DialNow> dials) {
        return new PredictivePacer.Team(available, 0, (int) dials.stream().filter(d -> !d.resolved()).count(), agents, dials);
    }

    @Test
    void before_it_has_learnt_it_dials_the_guards_ratio_for_free_agents_only() {
        PredictivePacer.Forecast f = pacer.forecast(campaign, team(2, List.of(), List.of()), 2.0, CLEAN, T0);
        assertThat(f.predicting()).isFalse();
        assertThat(f.dialsToStart()).isEqualTo(4);
    }

    @Test
    void once_learnt_it_dials_for_the_people_the_free_agents_can_take_at_the_learnt_answer_rate() {
        Instant t = learn();
        List<HandleTimes.AgentNow> free = List.of(new HandleTimes.AgentNow(alice, HandleTimes.Busy.FREE, t),
                new HandleTimes.AgentNow(bob, HandleTimes.Busy.FREE, t));
        PredictivePacer.Forecast f = pacer.forecast(campaign, team(2, free, List.of()), 3.0, CLEAN, t);
        assertThat(f.predicting()).isTrue();
        assertThat(f.expectedFree()).isEqualTo(2.0);
        double people = Math.max(new PoissonLoss().people(2, f.aggressiveness()), 2 * 0.2);
        assertThat(f.dialsToStart()).as("one dial in five brings a person").isEqualTo((int) Math.round(people / 0.2));
        assertThat(f.dialsToStart()).isPositive();
    }

    @Test
    void people_still_expected_from_dials_in_flight_are_not_dialled_for_again() {
        Instant t = learn();
        List<HandleTimes.AgentNow> free = List.of(new HandleTimes.AgentNow(alice, HandleTimes.Busy.FREE, t));
        List<DialYield.DialNow> inFlight = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inFlight.add(new DialYield.DialNow(UUID.randomUUID(), t, null, false));
        }
        PredictivePacer.Forecast f = pacer.forecast(campaign, team(1, free, inFlight), 3.0, CLEAN, t.plusSeconds(1));
        assertThat(f.expectedPeople()).as("20 young dials at one in five").isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(f.dialsToStart()).isZero();
    }

    @Test
    void an_agent_about_to_finish_a_wrap_up_counts_one_early_in_a_call_does_not() {
        Instant t = learn();
        List<HandleTimes.AgentNow> free = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            free.add(new HandleTimes.AgentNow(new UUID(1, i), HandleTimes.Busy.FREE, t));
        }
        List<HandleTimes.AgentNow> wrapping = new ArrayList<>(free);
        wrapping.add(new HandleTimes.AgentNow(bob, HandleTimes.Busy.WRAP_UP, t.minusSeconds(39)));
        PredictivePacer.Forecast nearEnd = pacer.forecast(campaign, team(6, wrapping, List.of()), 3.0, CLEAN, t);
        assertThat(nearEnd.expectedFree()).as("every wrap-up seen lasted 40 s").isEqualTo(7.0);
        List<HandleTimes.AgentNow> talking = new ArrayList<>(free);
        talking.add(new HandleTimes.AgentNow(bob, HandleTimes.Busy.ON_CALL, t.minusSeconds(5)));
        PredictivePacer.Forecast onCall = pacer.forecast(campaign, team(6, talking, List.of()), 3.0, CLEAN, t.plusSeconds(1));
        assertThat(onCall.expectedFree()).as("talk and wrap-up still to come").isEqualTo(6.0);
        assertThat(nearEnd.dialsToStart()).as("more people for seven agents than six").isGreaterThan(onCall.dialsToStart());
    }

    @Test
    void a_lone_free_agent_gets_at_least_one_dial() {
        Instant t = learn();
        PredictivePacer.Forecast f = pacer.forecast(campaign, team(1, List.of(
                new HandleTimes.AgentNow(alice, HandleTimes.Busy.FREE, t)), List.of()), 3.0, CLEAN, t);
        assertThat(f.predicting()).isTrue();
        assertThat(f.dialsToStart()).isEqualTo(1);
    }

    @Test
    void at_the_guards_hard_back_off_it_dials_one_call_per_free_agent() {
        Instant t = learn();
        PredictivePacer.Forecast f = pacer.forecast(campaign, team(2, List.of(
                new HandleTimes.AgentNow(bob, HandleTimes.Busy.WRAP_UP, t.minusSeconds(39))), List.of()),
                Pacer.MIN_RATIO, CLEAN, t);
        assertThat(f.predicting()).isFalse();
        assertThat(f.dialsToStart()).isEqualTo(2);
    }
}
