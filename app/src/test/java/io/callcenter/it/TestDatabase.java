package io.callcenter.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for integration tests. Natively an embedded PostgreSQL server (binaries from Maven Central,
 * no system install); with {@code CALLCENTER_IT_DOCKER=true}, Testcontainers on a Docker-compatible engine instead
 * ({@code make test-containers} runs it on podman with the project's own image, {@code docker/Dockerfile.postgres};
 * {@code CALLCENTER_IT_POSTGRES_IMAGE} names the image, {@code postgres:17} by default). Asked for and not
 * available is an error, never a quiet fall-back to the embedded server. Each caller gets a fresh database so
 * tests never see each other's rows.
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
            if ("true".equals(System.getenv("CALLCENTER_IT_DOCKER"))) {
                if (!DockerClientFactory.instance().isDockerAvailable()) {
                    throw new IllegalStateException("CALLCENTER_IT_DOCKER=true but no Docker-compatible engine answers"
                            + " (DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ")");
                }
                instance = container();
            } else {
                instance = embedded();
            }
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
        String image = System.getenv().getOrDefault("CALLCENTER_IT_POSTGRES_IMAGE", "postgres:17");
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
        postgres.start();
        String url = postgres.getJdbcUrl();
        System.out.println("TestDatabase: PostgreSQL in a container of " + image + " (" + postgres.getContainerId()
                + ") at " + url);
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
