package io.callcenter.ops;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** The pool behind a {@link DatabaseBreaker}: while the database is known away, no one waits for a connection. */
final class FailFastDataSource extends DelegatingDataSource {

    private final DatabaseBreaker breaker;

    FailFastDataSource(DataSource pool, DatabaseBreaker breaker) {
        super(pool);
        this.breaker = breaker;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guarded(() -> super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return guarded(() -> super.getConnection(username, password));
    }

    private Connection guarded(ConnectionSource source) throws SQLException {
        if (!breaker.admit()) {
            throw new DatabaseUnavailable(breaker.downSince());
        }
        try {
            Connection connection = source.get();
            breaker.succeeded();
            return connection;
        } catch (SQLException | RuntimeException e) {
            if (DatabaseOutage.isOutage(e) && !breaker.answeredJustNow()) {
                breaker.failed();
            } else {
                breaker.inconclusive();
            }
            throw e;
        }
    }

    private interface ConnectionSource {
        Connection get() throws SQLException;
    }
}
