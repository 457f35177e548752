package io.meshcp.support;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL of the tests: the server named by {@code MESHCP_TEST_DATABASE_URL} (a JDBC URL;
 * user and password in the URL or in {@code MESHCP_TEST_DATABASE_USER} / {@code _PASSWORD}) when set,
 * otherwise a Testcontainers container.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    static final String URL_VARIABLE = "MESHCP_TEST_DATABASE_URL";

    @Bean
    @Conditional(UrlGiven.class)
    JdbcConnectionDetails testDatabase() {
        String url = System.getenv(URL_VARIABLE);
        String user = System.getenv("MESHCP_TEST_DATABASE_USER");
        String password = System.getenv("MESHCP_TEST_DATABASE_PASSWORD");
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return user;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }

    @Bean
    @ServiceConnection
    @Conditional(NoUrlGiven.class)
    PostgreSQLContainer postgresContainer() {
        return new PostgreSQLContainer("postgres:17-alpine");
    }

    static boolean urlGiven() {
        String url = System.getenv(URL_VARIABLE);
        return url != null && !url.isBlank();
    }

    static class UrlGiven implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return urlGiven();
        }
    }

    static class NoUrlGiven implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !urlGiven();
        }
    }
}
