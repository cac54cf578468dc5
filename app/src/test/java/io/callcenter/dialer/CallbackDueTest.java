package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.callcenter.dialer.CallbackDue.Next.MISS;
import static io.callcenter.dialer.CallbackDue.Next.OFFER;
import static io.callcenter.dialer.CallbackDue.Next.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** An agent's callback on a fixed clock: waits for its time, then for its agent, and is missed if left too long. */
class CallbackDueTest {

    private static final Instant DUE = Instant.parse("2026-03-03T19:30:00Z");

    @Test
    void before_its_time_it_waits_even_for_an_available_agent() {
        assertThat(CallbackDue.next(DUE, false, true, DUE.minusSeconds(1))).isEqualTo(WAIT);
    }

    @Test
    void at_its_time_it_is_offered_to_its_agent_once_available_and_only_once() {
        assertThat(CallbackDue.next(DUE, false, false, DUE)).isEqualTo(WAIT);
        assertThat(CallbackDue.next(DUE, false, true, DUE.plusSeconds(60))).isEqualTo(OFFER);
        assertThat(CallbackDue.next(DUE, true, true, DUE.plusSeconds(65))).isEqualTo(WAIT);
    }

    @Test
    void left_too_long_it_is_missed_offered_or_not() {
        Instant late = DUE.plus(CallbackDue.MISS_AFTER);
        assertThat(CallbackDue.next(DUE, false, false, late.minusSeconds(1))).isEqualTo(WAIT);
        assertThat(CallbackDue.next(DUE, false, false, late)).isEqualTo(MISS);
        assertThat(CallbackDue.next(DUE, true, true, late)).isEqualTo(MISS);
    }
}
