package io.callcenter.web;

import io.callcenter.dialer.Outcome;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page bundles shared-contract.json as it is, the server reads it through {@link SharedContract}, the dialer keeps
 * its outcomes as an enum and the database as rows: one list, four readers, and this keeps them in step.
 */
class SharedContractTest {

    private static final JsonNode FILE = readFile();

    @Test
    void the_class_exposes_exactly_what_the_file_says() {
        assertThat(SharedContract.AUTO_ANSWER_HEADER).isEqualTo(FILE.path("autoAnswerHeader").asString());
        assertThat(SharedContract.MAX_PARTIES).isEqualTo(FILE.path("maxParties").asInt());
        List<SharedContract.Disposition> inFile = new ArrayList<>();
        for (JsonNode d : FILE.path("dispositions")) {
            inFile.add(new SharedContract.Disposition(d.path("code").asString(), d.path("label").asString(),
                    d.path("agentSelectable").asBoolean()));
        }
        assertThat(SharedContract.DISPOSITIONS).containsExactlyElementsOf(inFile);
    }

    @Test
    void the_dialers_outcomes_are_the_disposition_codes_in_the_same_order() {
        assertThat(SharedContract.DISPOSITIONS.stream().map(SharedContract.Disposition::code))
                .containsExactlyElementsOf(Arrays.stream(Outcome.values()).map(Enum::name).toList());
    }

    @Test
    void the_database_offers_agents_the_same_codes() throws IOException {
        Map<String, Boolean> selectable = new LinkedHashMap<>();
        SharedContract.DISPOSITIONS.forEach(d -> selectable.put(d.code(), d.agentSelectable()));
        assertThat(migrationRows()).as("disposition_code rows of the migrations").isEqualTo(selectable);
    }

    @Test
    void only_known_selectable_codes_are_agent_selectable() {
        assertThat(SharedContract.agentSelectable("DO_NOT_CALL")).isTrue();
        assertThat(SharedContract.agentSelectable("ABANDONED")).as("only the dialer sets it").isFalse();
        assertThat(SharedContract.agentSelectable("NO_SUCH_CODE")).isFalse();
        assertThat(SharedContract.agentSelectable(null)).isFalse();
    }

    @Test
    void the_header_and_limit_are_what_asterisk_and_the_page_are_configured_for() {
        // Renaming the header is a change of the wire contract with deployed softphones, never a side effect.
        assertThat(SharedContract.AUTO_ANSWER_HEADER).isEqualTo("X-CallCenter-Auto-Answer");
        assertThat(SharedContract.MAX_PARTIES).isEqualTo(3);
    }

    /** code -> agent_selectable from the insert into disposition_code (the only migration that fills it). */
    private static Map<String, Boolean> migrationRows() throws IOException {
        Path migrations = repoDir().resolve("migrations");
        Pattern insert = Pattern.compile("insert into disposition_code[^;]*;", Pattern.CASE_INSENSITIVE);
        Pattern row = Pattern.compile("\\('([A-Z_]+)',\\s*'[^']*',\\s*(true|false)\\)");
        Map<String, Boolean> rows = new LinkedHashMap<>();
        try (var files = Files.list(migrations)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                Matcher statement = insert.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (statement.find()) {
                    Matcher values = row.matcher(statement.group());
                    while (values.find()) {
                        rows.put(values.group(1), Boolean.parseBoolean(values.group(2)));
                    }
                }
            }
        }
        return rows;
    }

    private static Path repoDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("migrations"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no migrations folder above " + Path.of("").toAbsolutePath());
    }

    private static JsonNode readFile() {
        try (InputStream in = SharedContractTest.class.getResourceAsStream(SharedContract.RESOURCE)) {
            assertThat(in).as(SharedContract.RESOURCE).isNotNull();
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
