package io.callcenter.ops;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LastKnownTest {

    private final LastKnown<String, Optional<String>> teams = new LastKnown<>();

    private static <T> Supplier<T> down() {
        return () -> {
            throw new CannotGetJdbcConnectionException("no connection", new DatabaseUnavailable(java.time.Instant.EPOCH));
        };
    }

    @Test
    void reads_the_database_each_time_and_answers_the_last_value_only_while_it_is_away() {
        assertThat(teams.read("+15550100", () -> Optional.of("Psychology"))).contains("Psychology");
        assertThat(teams.read("+15550100", () -> Optional.of("Sales"))).as("an edit is seen at once").contains("Sales");
        assertThat(teams.read("+15550100", down())).contains("Sales");
        assertThat(teams.read("+15550100", () -> Optional.empty())).as("refreshed when it answers again").isEmpty();
        assertThat(teams.read("+15550100", down())).isEmpty();
    }

    @Test
    void nothing_known_or_an_error_of_the_data_itself_is_rethrown() {
        assertThatThrownBy(() -> teams.read("+15550200", down())).isInstanceOf(CannotGetJdbcConnectionException.class);
        teams.read("+15550200", () -> Optional.of("Sales"));
        assertThatThrownBy(() -> teams.read("+15550200", () -> {
            throw new DataIntegrityViolationException("bad row");
        })).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void a_value_remembered_another_way_answers_during_an_outage() {
        teams.remember("agent", Optional.of("dave"));
        assertThat(teams.read("agent", down())).contains("dave");
    }
}
