package io.callcenter.instance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The instance's advisory locks, on one JDBC connection of its own, named after the instance (so
 * {@code pg_stat_activity} shows who holds what). Short timeouts: a round must not hang on a partitioned
 * database, and a dead connection must be noticed within a poll or two.
 */
final class AdvisoryLockRepository implements LockSession {

    /** The first int of every lock key: the application's, apart from any other user of advisory locks. */
    static final int NAMESPACE = 17_017;

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLockRepository.class);

    private final String url;
    private final String user;
    private final String password;
    private final String instance;
    private Connection connection;

    AdvisoryLockRepository(String url, String user, String password, String instance) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.instance = instance;
    }

    @Override
    public synchronized boolean open() {
        if (connection != null) {
            return true;
        }
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password == null ? "" : password);
        properties.setProperty("ApplicationName", instance);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        try {
            connection = DriverManager.getConnection(url, properties);
            connection.setAutoCommit(true);
            return true;
        } catch (SQLException e) {
            log.debug("Lock session for {} not opened: {}", instance, e.getMessage());
            return false;
        }
    }

    @Override
    public synchronized boolean valid() {
        try {
            return connection != null && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized boolean tryLock(Role role) {
        return ask("select pg_try_advisory_lock(?, ?)", role);
    }

    @Override
    public synchronized void unlock(Role role) {
        ask("select pg_advisory_unlock(?, ?)", role);
    }

    @Override
    public synchronized List<Holder> holders() {
        String sql = "select l.objid, a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'advisory' and l.granted and l.classid = ?"
                + " and l.database = (select oid from pg_database where datname = current_database())";
        List<Holder> holders = new ArrayList<>();
        try (PreparedStatement statement = connected().prepareStatement(sql)) {
            statement.setInt(1, NAMESPACE);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    String name = rows.getString(2);
                    for (Role role : Role.values()) {
                        if (role.lockId == id) {
                            holders.add(new Holder(role, name));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the lock holders failed", e);
        }
        return holders;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the lock session of {}: {}", instance, e.getMessage());
            }
            connection = null;
        }
    }

    private boolean ask(String sql, Role role) {
        try (PreparedStatement statement = connected().prepareStatement(sql)) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, role.lockId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("advisory lock " + role + " failed", e);
        }
    }

    private Connection connected() {
        if (connection == null) {
            throw new IllegalStateException("no lock session");
        }
        return connection;
    }
}
