package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The people to aim for per free agents when a person finding none is lost. */
class PoissonLossTest {

    private final PoissonLoss loss = new PoissonLoss();

    @Test
    void the_lost_share_for_one_agent_is_everyone_beyond_the_first() {
        double m = 0.5;
        // One agent takes one person whenever anyone comes: lost = m - P(N >= 1).
        assertThat(PoissonLoss.lostShare(m, 1)).isCloseTo((m - (1 - Math.exp(-m))) / m, within(1e-12));
        assertThat(PoissonLoss.lostShare(m, 0)).isEqualTo(1.0);
    }

    @Test
    void the_mean_found_loses_the_share_allowed() {
        double m = loss.people(4, 0.01);
        assertThat(PoissonLoss.lostShare(m, 4)).isCloseTo(0.01, within(1e-6));
    }

    @Test
    void a_larger_free_pool_takes_more_people_per_agent_and_a_larger_loss_more_people() {
        assertThat(loss.people(10, 0.01) / 10).isGreaterThan(loss.people(1, 0.01));
        assertThat(loss.people(3, 0.02)).isGreaterThan(loss.people(3, 0.01));
        assertThat(loss.people(0, 0.02)).isZero();
        assertThat(loss.people(2.5, 0.01)).isBetween(loss.people(2, 0.01), loss.people(3, 0.01));
    }
}
