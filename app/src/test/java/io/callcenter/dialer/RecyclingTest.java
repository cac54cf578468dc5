package io.callcenter.dialer;

import io.callcenter.web.ApiProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which closed statuses a manager may put back in the dial list. */
class RecyclingTest {

    @Test
    void retryable_statuses_are_accepted_in_any_case() {
        assertThat(Recycling.statuses(List.of("no_answer", "BUSY", "VOICEMAIL", "ABANDONED", "NOT_INTERESTED")))
                .containsExactlyInAnyOrder(Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL, Outcome.ABANDONED,
                        Outcome.NOT_INTERESTED);
    }

    @Test
    void statuses_that_must_never_be_redialled_are_refused_by_name() {
        for (String never : List.of("DO_NOT_CALL", "INTERESTED", "WRONG_NUMBER", "CALLBACK")) {
            assertThatThrownBy(() -> Recycling.statuses(List.of("NO_ANSWER", never)))
                    .isInstanceOf(ApiProblem.class).hasMessageContaining(never);
        }
    }

    @Test
    void no_status_or_an_unknown_one_is_a_bad_request() {
        assertThatThrownBy(() -> Recycling.statuses(List.of())).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> Recycling.statuses(null)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> Recycling.statuses(Arrays.asList("NO_ANSWER", null))).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> Recycling.statuses(List.of("SOLD"))).isInstanceOf(ApiProblem.class)
                .hasMessageContaining("SOLD");
    }
}
