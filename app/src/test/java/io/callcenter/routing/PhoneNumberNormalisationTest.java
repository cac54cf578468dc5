package io.callcenter.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumberNormalisationTest {

    @ParameterizedTest
    @CsvSource({
            "+15557654321, US, +15557654321",
            "15557654321, US, +15557654321",
            "5557654321, US, +15557654321",
            "(555) 765-4321, US, +15557654321",
            "0015557654321, US, +15557654321",
            "02071234567, GB, +442071234567",
            "+44 20 7123 4567, US, +442071234567"})
    void dialled_strings_become_e164(String dialled, String region, String e164) {
        assertThat(PhoneNumbers.toE164(dialled, region)).contains(e164);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "12", "abc", "+1", "1001x"})
    void impossible_numbers_are_refused(String dialled) {
        assertThat(PhoneNumbers.toE164(dialled, "US")).isEmpty();
    }
}
