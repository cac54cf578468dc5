package io.callcenter.ops;

import io.callcenter.testkit.TestClock;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseBreakerTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T22:00:00Z"));
    private final DatabaseBreaker breaker = new DatabaseBreaker(clock, Duration.ofSeconds(2));

    @Test
    void lets_everyone_through_while_the_database_answers() {
        assertThat(breaker.admit()).isTrue();
        breaker.succeeded();
        assertThat(breaker.admit()).isTrue();
        assertThat(breaker.downSince()).isNull();
    }

    @Test
    void after_a_failure_refuses_everyone_until_the_period_ends_then_admits_one_probe() {
        breaker.admit();
        breaker.failed();
        assertThat(breaker.downSince()).isEqualTo(clock.instant());
        assertThat(breaker.admit()).isFalse();
        clock.advance(Duration.ofMillis(1999));
        assertThat(breaker.admit()).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(breaker.admit()).as("the probe").isTrue();
        assertThat(breaker.admit()).as("a second caller while the probe is out").isFalse();
        breaker.failed();
        assertThat(breaker.admit()).as("the probe failed: open for another period").isFalse();

        clock.advance(Duration.ofSeconds(2));
        assertThat(breaker.admit()).isTrue();
        breaker.succeeded();
        assertThat(breaker.admit()).isTrue();
        assertThat(breaker.admit()).isTrue();
        assertThat(breaker.downSince()).isNull();
    }

    @Test
    void an_inconclusive_probe_frees_the_slot_but_keeps_the_breaker_open() {
        breaker.failed();
        clock.advance(Duration.ofSeconds(2));
        assertThat(breaker.admit()).isTrue();
        breaker.inconclusive();
        assertThat(breaker.downSince()).isNotNull();
        assertThat(breaker.admit()).as("the next probe").isTrue();
    }

    @Test
    void the_data_source_fails_fast_once_a_connection_could_not_be_had_and_finds_the_database_back() throws SQLException {
        FakePool pool = new FakePool();
        DataSource dataSource = new FailFastDataSource(pool, breaker);

        pool.answers.add(new SQLTransientConnectionException("Connection is not available, request timed out after 1000ms."));
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                .isNotInstanceOf(DatabaseUnavailable.class);
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(DatabaseUnavailable.class)
                .satisfies(e -> assertThat(DatabaseOutage.isOutage(e)).isTrue());
        assertThat(pool.asked).as("the pool is not asked while the breaker is open").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        pool.answers.add(connection());
        assertThat(dataSource.getConnection()).isNotNull();
        assertThat(pool.asked).isEqualTo(2);
        pool.answers.add(connection());
        assertThat(dataSource.getConnection()).as("closed again for everyone").isNotNull();
    }

    @Test
    void a_wait_that_timed_out_while_the_pool_was_handing_out_connections_is_load_not_an_outage() throws SQLException {
        FakePool pool = new FakePool();
        DataSource dataSource = new FailFastDataSource(pool, breaker);
        pool.answers.add(connection());
        assertThat(dataSource.getConnection()).isNotNull();

        clock.advance(Duration.ofMillis(100));
        pool.answers.add(new SQLTransientConnectionException("Connection is not available, request timed out after 1000ms."));
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(breaker.downSince()).as("a connection was had 100 ms ago: the pool is busy").isNull();

        clock.advance(DatabaseBreaker.BUSY_NOT_AWAY);
        pool.answers.add(new SQLTransientConnectionException("Connection is not available, request timed out after 1000ms."));
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(breaker.downSince()).as("nothing answered for longer: away").isNotNull();
    }

    @Test
    void a_refusal_that_is_no_outage_does_not_open_the_breaker() {
        FakePool pool = new FakePool();
        DataSource dataSource = new FailFastDataSource(pool, breaker);
        pool.answers.add(new SQLException("password authentication failed", "28P01"));
        assertThatThrownBy(dataSource::getConnection).hasMessageContaining("password");
        assertThat(breaker.downSince()).isNull();
    }

    private static Connection connection() {
        return (Connection) Proxy.newProxyInstance(DatabaseBreakerTest.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> null);
    }

    /** The pool's answers to getConnection, in turn: a connection or an error. */
    private static final class FakePool implements DataSource {
        final Deque<Object> answers = new ArrayDeque<>();
        int asked;

        @Override
        public Connection getConnection() throws SQLException {
            asked++;
            Object answer = answers.removeFirst();
            if (answer instanceof SQLException e) {
                throw e;
            }
            return (Connection) answer;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            return null;
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
