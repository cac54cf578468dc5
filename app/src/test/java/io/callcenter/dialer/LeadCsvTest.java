package io.callcenter.dialer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeadCsvTest {

    @Test
    void numbers_become_e164_and_bad_rows_are_reported_with_their_line() {
        String csv = """
                phone,name,external_id,timezone
                (212) 555-1234,Ann,crm-1,
                +1 415 555 1234,"Smith, Bob",crm-2,
                not a number,Carl,crm-3,
                ,Dora,crm-4,
                +1 212 555 9999,Eve,crm-5,Mars/Olympus
                555-765-4321,Fay,crm-6,
                555-765-4322,Gus,crm-7,America/Chicago
                """;
        LeadCsv.Parsed parsed = LeadCsv.parse(csv, "US");

        assertThat(parsed.accepted()).extracting(LeadCsv.Row::e164)
                .containsExactly("+12125551234", "+14155551234", "+15557654322");
        assertThat(parsed.accepted().get(1).name()).isEqualTo("Smith, Bob");
        assertThat(parsed.accepted().get(2).timeZone()).isEqualTo("America/Chicago");
        assertThat(parsed.rejected()).extracting(LeadCsv.Rejected::line).containsExactly(4, 5, 6, 7);
        assertThat(parsed.rejected().get(0).reason()).contains("not a valid phone number");
        assertThat(parsed.rejected().get(1).reason()).contains("no phone number");
        assertThat(parsed.rejected().get(2).reason()).contains("unknown time zone");
        assertThat(parsed.rejected().get(3).reason()).contains("time zone cannot be derived");
    }

    @Test
    void duplicates_merge_into_the_first_row_keeping_facts_it_lacked() {
        String csv = "Phone,Name,Lead ID\r\n2125551234,,\r\n+12125551234,Ann,crm-1\r\n001 212 555 1234,Other,crm-2\r\n";
        LeadCsv.Parsed parsed = LeadCsv.parse(csv, "US");
        assertThat(parsed.accepted()).hasSize(1);
        assertThat(parsed.merged()).isEqualTo(2);
        LeadCsv.Row row = parsed.accepted().getFirst();
        assertThat(row.line()).isEqualTo(2);
        assertThat(row.name()).isEqualTo("Ann");
        assertThat(row.externalId()).isEqualTo("crm-1");
    }

    @Test
    void quoted_cells_may_hold_quotes_and_line_breaks_and_lines_stay_right() {
        String csv = "phone,name\n\"+12125551234\",\"Ann \"\"the boss\"\"\nsecond line\"\nbad,x\n";
        LeadCsv.Parsed parsed = LeadCsv.parse(csv, "US");
        assertThat(parsed.accepted().getFirst().name()).isEqualTo("Ann \"the boss\"\nsecond line");
        assertThat(parsed.rejected().getFirst().line()).isEqualTo(4);
    }

    @Test
    void a_list_without_a_phone_column_is_refused_as_a_whole() {
        assertThatThrownBy(() -> LeadCsv.parse("name,email\nAnn,a@b.c\n", "US"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("phone");
        assertThatThrownBy(() -> LeadCsv.parse("", "US")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void other_columns_are_the_leads_fields_in_the_lists_order_without_empty_ones() {
        String csv = "phone,Notes,name,Last Order,plan\n2125551234,\"prefers mornings, not Fridays\",Ann,2026-01-04,\n";
        LeadCsv.Row row = LeadCsv.parse(csv, "US").accepted().getFirst();
        assertThat(row.name()).isEqualTo("Ann");
        assertThat(row.fields()).containsExactly(java.util.Map.entry("notes", "prefers mornings, not Fridays"),
                java.util.Map.entry("last_order", "2026-01-04"));
    }
}
