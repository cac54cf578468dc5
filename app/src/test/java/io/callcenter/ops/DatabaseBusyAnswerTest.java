package io.callcenter.ops;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseBusyAnswerTest {

    private final DatabaseBusyAnswer filter = new DatabaseBusyAnswer();

    @Test
    void a_pool_wait_that_timed_out_is_a_503_problem_with_retry_after() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("POST", "/api/calls"), response, (request, answer) -> {
            throw new org.springframework.jdbc.CannotGetJdbcConnectionException("pool",
                    new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 1000ms"));
        });
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("2");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"type\":\"/problems/database-busy\"", "\"status\":503",
                "\"instance\":\"/api/calls\"");
    }

    @Test
    void any_other_failure_goes_on_as_it_was() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("GET", "/api/me"), response, (request, answer) -> {
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(response.getStatus()).isEqualTo(200);
    }
}
