package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeHarborMessageTest {

    private static final String GOOD = "Sorry we missed you. Psychology practice, call us back on 555 0100. "
            + "Press 9 and we will not call you again.";

    @Test
    void a_message_naming_the_seller_the_number_and_the_opt_out_key_passes() {
        assertThat(SafeHarborMessage.problems(GOOD, "Psychology practice", "+15550100", "9")).isEmpty();
        assertThat(SafeHarborMessage.problems(GOOD.replace("Press 9", "press nine"), "psychology PRACTICE", "+15550100", "9"))
                .isEmpty();
    }

    @Test
    void each_missing_part_is_named() {
        assertThat(SafeHarborMessage.problems("Sorry we missed you.", "Psychology practice", "+15550100", "9"))
                .hasSize(3).anySatisfy(p -> assertThat(p).contains("seller"))
                .anySatisfy(p -> assertThat(p).contains("5550100")).anySatisfy(p -> assertThat(p).contains("press 9"));
        assertThat(SafeHarborMessage.problems(GOOD, "Psychology practice", "+15550100", "7")).singleElement()
                .satisfies(p -> assertThat(p).contains("press 7"));
        assertThat(SafeHarborMessage.problems(GOOD.replace("Press 9", "Press 91"), "Psychology practice", "+15550100", "9"))
                .as("91 is not the key 9").hasSize(1);
        assertThat(SafeHarborMessage.problems("  ", "x", "+15550100", "9")).containsExactly("the message is empty");
        assertThat(SafeHarborMessage.problems(GOOD, null, null, "99")).hasSize(3);
    }

    @Test
    void the_fallback_is_lawful_by_construction() {
        String fallback = SafeHarborMessage.fallback("Psychology practice", "+12125550100", "#");
        assertThat(SafeHarborMessage.problems(fallback, "Psychology practice", "+12125550100", "#")).isEmpty();
        assertThat(fallback).contains("2 1 2 5 5 5 0 1 0 0");
    }
}
