package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What dials bring, learnt from snapshots of the open dials alone, on a fake clock. */
class DialYieldTest {

    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private final DialYield yield = new DialYield();

    /**
     * {@code dials} dials, one in {@code every} a person after {@code personAfter} s, the others gone after
     * {@code goneAfter} s, each seen ringing once before it resolves.
     */
    static Instant dials(DialYield yield, Instant from, int dials, int every, int personAfter, int goneAfter) {
        Instant t = from;
        for (int i = 0; i < dials; i++) {
            UUID id = UUID.randomUUID();
            yield.observe(List.of(new DialYield.DialNow(id, t, null, false)), t.plusSeconds(1));
            if (i % every == 0) {
                Instant person = t.plusSeconds(personAfter);
                yield.observe(List.of(new DialYield.DialNow(id, t, person, true)), person);
                yield.observe(List.of(new DialYield.DialNow(id, t, person, true)), person.plusSeconds(1));
                t = person.plusSeconds(2);
            } else {
                t = t.plusSeconds(goneAfter);
                yield.observe(List.of(), t);
            }
        }
        return t;
    }

    @Test
    void the_share_of_dials_bringing_a_person_and_when_is_learnt_each_counted_once() {
        dials(yield, T0, 100, 5, 12, 25);
        assertThat(yield.dials()).isEqualTo(100);
        assertThat(yield.perDial()).isEqualTo(0.2);
        assertThat(yield.learnt()).isTrue();
        assertThat(yield.secondsToPerson(0.5)).isEqualTo(12.0);
    }

    @Test
    void a_dial_unresolved_past_every_person_seen_brings_nobody() {
        dials(yield, T0, 100, 5, 12, 25);
        assertThat(yield.stillBrings(0)).isEqualTo(0.2);
        assertThat(yield.stillBrings(20)).as("only no-answers ring this long").isZero();
    }

    @Test
    void a_dial_resolved_before_any_snapshot_saw_it_ring_still_counts_once() {
        UUID invalid = UUID.randomUUID();
        yield.observe(List.of(new DialYield.DialNow(invalid, T0, null, true)), T0.plusSeconds(1));
        yield.observe(List.of(new DialYield.DialNow(invalid, T0, null, true)), T0.plusSeconds(2));
        yield.observe(List.of(), T0.plusSeconds(3));
        assertThat(yield.dials()).isEqualTo(1);
        assertThat(yield.perDial()).isZero();
        assertThat(yield.learnt()).isFalse();
    }
}
