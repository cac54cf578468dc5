package io.callcenter.it;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When the intake bench refuses a step's figures: a rate it could not offer, or a generator that was itself late. */
class IntakeBenchRefusalTest {

    private static Map<String, String> result(String target, String achieved, String ownLagP99) {
        Map<String, String> result = new HashMap<>();
        result.put("target", target);
        result.put("achieved", achieved);
        result.put("ownLagP99", ownLagP99);
        result.put("ownLagMax", "40.00");
        return result;
    }

    @Test
    void a_step_at_its_rate_with_a_punctual_generator_is_measured() {
        assertThat(IntakeBenchIT.notMeasured("2000/s", result("2000", "1990.4", "0.13"))).isEmpty();
        assertThat(IntakeBenchIT.notMeasured("2000/s", result("2000", "1940.0", "5.00"))).isEmpty();
    }

    @Test
    void a_rate_that_did_not_go_out_is_refused() {
        assertThat(IntakeBenchIT.notMeasured("2000/s", result("2000", "1362.0", "0.10")))
                .singleElement().asString().contains("2000/s not offered", "1362/s went out");
        assertThat(IntakeBenchIT.notMeasured("2000/s", result("2000", "1939.0", "0.10"))).hasSize(1);
    }

    @Test
    void a_generator_late_by_itself_is_refused_as_the_machine_not_the_app() {
        assertThat(IntakeBenchIT.notMeasured("baseline", result("2000", "1999.1", "5.01")))
                .singleElement().asString().contains("generator itself was 5.0 ms late", "max 40.00 ms");
    }

    @Test
    void both_reasons_are_given_together() {
        assertThat(IntakeBenchIT.notMeasured("3000/s", result("3000", "2541", "12.5"))).hasSize(2);
    }
}
