package io.meshcp.database;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts the embedded PostgreSQL when no datasource URL is configured and hands its address to Spring
 * Boot as {@link JdbcConnectionDetails} (the application's login, {@value #APPLICATION_LOGIN}) and
 * {@link FlywayConnectionDetails} (the superuser, which owns the tables), so the DataSource, Flyway and JPA set
 * themselves up as usual.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceConfigured.class)
class EmbeddedPostgresConfiguration {

    static final String DATABASE = "meshcp";

    /** The application's login: it owns nothing, so row-level security holds it (DatabaseRoles). */
    static final String APPLICATION_LOGIN = "meshcp_app";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) {
        if ("root".equals(System.getProperty("user.name"))) {
            throw new EmbeddedPostgresUnavailableException(
                    "The embedded PostgreSQL cannot start: PostgreSQL refuses to run as root, and this process runs as root.",
                    "Run as a normal user, or point the application at a PostgreSQL server, for example:\n"
                            + "    SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/meshcp "
                            + "SPRING_DATASOURCE_USERNAME=meshcp SPRING_DATASOURCE_PASSWORD=... ./mvnw spring-boot:run",
                    null);
        }
        try {
            Files.createDirectories(properties.dataDirectory());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(properties.dataDirectory())
                    .setCleanDataDirectory(false)
                    .setPort(properties.port())
                    // The first start runs initdb, which takes a while on a small machine.
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            createDatabase(postgres);
            log.info("Embedded PostgreSQL on localhost:{}, data in {}", postgres.getPort(), properties.dataDirectory());
            return postgres;
        }
        catch (IOException | SQLException | RuntimeException e) {
            throw new EmbeddedPostgresUnavailableException(
                    "The embedded PostgreSQL did not start (data directory " + properties.dataDirectory()
                            + ", port " + properties.port() + "): " + e.getMessage(),
                    "Check that the port is free and the data directory is writable and not used by another "
                            + "instance, set meshcp.embedded-postgres.port / .data-directory, or set "
                            + "SPRING_DATASOURCE_URL to use a PostgreSQL server instead.",
                    e);
        }
    }

    @Bean
    JdbcConnectionDetails embeddedPostgresConnectionDetails(EmbeddedPostgres postgres) {
        return details(postgres, APPLICATION_LOGIN);
    }

    // Migrations run as the superuser that owns the tables; the embedded server trusts local connections.
    @Bean
    FlywayConnectionDetails embeddedPostgresOwnerConnectionDetails(EmbeddedPostgres postgres) {
        JdbcConnectionDetails owner = details(postgres, "postgres");
        return new FlywayConnectionDetails() {
            @Override
            public String getUsername() {
                return owner.getUsername();
            }

            @Override
            public String getPassword() {
                return null;
            }

            @Override
            public String getJdbcUrl() {
                return owner.getJdbcUrl();
            }
        };
    }

    private static JdbcConnectionDetails details(EmbeddedPostgres postgres, String user) {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return user;
            }

            @Override
            public String getPassword() {
                return null;
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }

    private static void createDatabase(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
            if (!exists.next()) {
                statement.execute("create database " + DATABASE);
            }
            var login = statement.executeQuery("select 1 from pg_roles where rolname = '" + APPLICATION_LOGIN + "'");
            if (!login.next()) {
                statement.execute("create role " + APPLICATION_LOGIN + " login noinherit");
            }
        }
    }

    /** True unless a datasource URL is set or the embedded database is switched off. */
    static class NoDatasourceConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var environment = context.getEnvironment();
            boolean urlGiven = environment.containsProperty("spring.datasource.url")
                    && !environment.getProperty("spring.datasource.url", "").isBlank();
            return !urlGiven && environment.getProperty("meshcp.embedded-postgres.enabled", Boolean.class, true);
        }
    }
}
