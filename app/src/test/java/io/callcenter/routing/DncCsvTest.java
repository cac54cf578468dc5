package io.callcenter.routing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DncCsvTest {

    private static final Function<String, Optional<String>> US = value -> PhoneNumbers.toE164(value, "US");

    @Test
    void one_number_per_line_in_any_format_is_normalised_and_deduplicated() {
        DncCsv.Parsed parsed = DncCsv.parse("+1 212 555 0101\n(212) 555-0102\r\n\n2125550101\n0012125550103\n", US);

        assertThat(parsed.numbers()).containsExactly("+12125550101", "+12125550102", "+12125550103");
        assertThat(parsed.duplicates()).isEqualTo(1);
        assertThat(parsed.rejected()).isEmpty();
    }

    @Test
    void a_header_line_selects_the_number_column_and_line_numbers_count_the_header() {
        String csv = """
                state,Number,added
                NY,"(212) 555-0101",2024-01-01
                NY,not a number,2024-01-02
                CA,,2024-01-03
                CA,"+1 212 555 0104",2024-01-04
                """;
        DncCsv.Parsed parsed = DncCsv.parse(csv, US);

        assertThat(parsed.numbers()).containsExactly("+12125550101", "+12125550104");
        assertThat(parsed.rejected()).containsExactly(
                new DncCsv.Rejected(3, "not a number", "not a valid phone number"),
                new DncCsv.Rejected(4, "CA,,2024-01-03", "no number on this line"));
    }

    @Test
    void semicolons_quotes_and_a_byte_order_mark_are_understood() {
        DncCsv.Parsed parsed = DncCsv.parse("\uFEFFname;number\n\"Doe; Jane\";212-555-0101\n", US);

        assertThat(parsed.numbers()).containsExactly("+12125550101");
        assertThat(DncCsv.cells("a,\"b \"\"x\"\", c\",d")).isEqualTo(List.of("a", "b \"x\", c", "d"));
    }

    @Test
    void a_header_without_a_number_column_is_refused_rather_than_guessed() {
        assertThatThrownBy(() -> DncCsv.parse("phone,state\n2125550101,NY\n", US))
                .isInstanceOf(DncCsv.NoNumberColumn.class)
                .hasMessageContaining("no 'number' column");
    }

    @Test
    void nothing_but_blank_lines_gives_nothing() {
        DncCsv.Parsed parsed = DncCsv.parse("\n \n", US);

        assertThat(parsed.numbers()).isEmpty();
        assertThat(parsed.duplicates()).isZero();
        assertThat(parsed.rejected()).isEmpty();
    }
}
