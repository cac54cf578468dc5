package io.callcenter.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for integration tests. Natively an embedded PostgreSQL server (binaries from Maven Central,
 * no system install); on machines with a Docker engine, set {@code CALLCENTER_IT_DOCKER=true} to use
 * Testcontainers instead. Each caller gets a fresh database so tests never see each other's rows.
 */
final class TestDatabase {

    private static TestDatabase instance;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String adminUrl;

    private TestDatabase(String adminUrl, String baseUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    static synchronized TestDatabase get() {
        if (instance == null) {
            instance = "true".equals(System.getenv("CALLCENTER_IT_DOCKER")) && DockerClientFactory.instance().isDockerAvailable()
                    ? container() : embedded();
        }
        return instance;
    }

    private static TestDatabase embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // exiting
                }
            }));
            String url = postgres.getJdbcUrl("postgres", "postgres");
            return new TestDatabase(url, url.substring(0, url.lastIndexOf('/') + 1), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("resource")
    private static TestDatabase container() {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17");
        postgres.start();
        String url = postgres.getJdbcUrl();
        return new TestDatabase(url, url.substring(0, url.lastIndexOf('/') + 1), postgres.getUsername(), postgres.getPassword());
    }

    /** Creates an empty database and returns its JDBC URL. */
    String newDatabase() {
        String name = "it_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection connection = java.sql.DriverManager.getConnection(adminUrl, user, password)) {
            connection.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return baseUrl + name;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }
}
