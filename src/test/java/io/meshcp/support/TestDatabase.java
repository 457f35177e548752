package io.meshcp.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The tests' PostgreSQL: the server named by {@code MESHCP_TEST_DATABASE_URL} (a JDBC URL; user and password in
 * {@code MESHCP_TEST_DATABASE_USER} / {@code _PASSWORD}), otherwise one Testcontainers container for the JVM. The
 * user given is a superuser: it owns the tables, runs the migrations and creates the application's login,
 * {@value #APPLICATION_LOGIN}, which owns nothing, as in production. Tests read and seed rows as the owner
 * ({@link #owner()}), which row-level security does not hold.
 */
public final class TestDatabase {

    static final String URL_VARIABLE = "MESHCP_TEST_DATABASE_URL";

    public static final String APPLICATION_LOGIN = "meshcp_test_app";

    private static final String APPLICATION_PASSWORD = "meshcp_test_app";

    // The last path segment of a JDBC URL, before any parameters.
    private static final Pattern DATABASE_IN_URL = Pattern.compile("/([^/?]+)(\\?|$)");

    private static TestDatabase instance;

    private static final Map<String, TestDatabase> apart = new HashMap<>();

    private final String url;

    private final String ownerUser;

    private final String ownerPassword;

    private JdbcTemplate owner;

    private TestDatabase(String url, String ownerUser, String ownerPassword) {
        this.url = url;
        this.ownerUser = ownerUser;
        this.ownerPassword = ownerPassword;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            String url = System.getenv(URL_VARIABLE);
            TestDatabase database;
            if (url == null || url.isBlank()) {
                // Left to Testcontainers to remove when the JVM exits.
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
                container.start();
                database = new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            }
            else {
                database = new TestDatabase(url, System.getenv("MESHCP_TEST_DATABASE_USER"),
                        System.getenv("MESHCP_TEST_DATABASE_PASSWORD"));
            }
            database.createApplicationLogin();
            instance = database;
        }
        return instance;
    }

    /**
     * An empty database of its own on the same server, made anew once per JVM, for a test class that locks tables or
     * takes its database away from under the application while other classes run (see junit-platform.properties).
     */
    public static synchronized TestDatabase apart(String name) {
        return apart.computeIfAbsent(name, n -> get().freshBeside(n));
    }

    /** Reads and writes as the owner of the tables, past row-level security: for seeding and checking rows. */
    public static JdbcTemplate owner() {
        return get().ownerTemplate();
    }

    /** {@link #owner()} for this database. */
    public synchronized JdbcTemplate ownerTemplate() {
        if (owner == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(ownerUser);
            config.setPassword(ownerPassword);
            config.setMaximumPoolSize(4);
            config.setMinimumIdle(0);
            config.setPoolName("test-owner");
            owner = new JdbcTemplate(new HikariDataSource(config));
        }
        return owner;
    }

    public String url() {
        return url;
    }

    public String ownerUser() {
        return ownerUser;
    }

    public String ownerPassword() {
        return ownerPassword;
    }

    public String applicationUser() {
        return APPLICATION_LOGIN;
    }

    public String applicationPassword() {
        return APPLICATION_PASSWORD;
    }

    /** A new connection as the owner, for what the application's login may not do (stopping connections, say). */
    public Connection ownerConnection(String database) throws SQLException {
        return DriverManager.getConnection(withDatabase(database), ownerUser, ownerPassword);
    }

    /** The arguments that point a whole application at this database, as its operator would. */
    public List<String> springArguments() {
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + APPLICATION_LOGIN,
                "--spring.datasource.password=" + APPLICATION_PASSWORD, "--spring.flyway.user=" + ownerUser,
                "--spring.flyway.password=" + (ownerPassword == null ? "" : ownerPassword));
    }

    private TestDatabase freshBeside(String suffix) {
        Matcher current = DATABASE_IN_URL.matcher(url);
        if (!current.find()) {
            throw new IllegalStateException("The test database's URL names no database: " + url);
        }
        String name = current.group(1) + "_" + suffix;
        try (Connection connection = DriverManager.getConnection(url, ownerUser, ownerPassword);
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists \"" + name + "\" with (force)");
            statement.execute("create database \"" + name + "\"");
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not make the test database " + name, e);
        }
        return new TestDatabase(withDatabase(name), ownerUser, ownerPassword);
    }

    private String withDatabase(String database) {
        return DATABASE_IN_URL.matcher(url).replaceFirst("/" + Matcher.quoteReplacement(database) + "$2");
    }

    private void createApplicationLogin() {
        try (Connection connection = DriverManager.getConnection(url, ownerUser, ownerPassword);
                Statement statement = connection.createStatement()) {
            // Roles belong to the server, not to one database: tolerate another run having made it.
            statement.execute("""
                    do $$ begin
                        create role %1$s login noinherit password '%2$s';
                    exception when duplicate_object then null;
                    end $$""".formatted(APPLICATION_LOGIN, APPLICATION_PASSWORD));
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not create the application's login in the test database", e);
        }
    }
}
