package io.meshcp.support;

import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Points the application at the {@link TestDatabase}: it logs in as the application's login, and migrates as the
 * owner, as in production. A test class that locks tables or takes its database away while other classes run
 * imports a subclass whose {@link #database()} is one of its own ({@link TestDatabase#apart}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    protected TestDatabase database() {
        return TestDatabase.get();
    }

    @Bean
    JdbcConnectionDetails testDatabase() {
        TestDatabase database = database();
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return database.applicationUser();
            }

            @Override
            public String getPassword() {
                return database.applicationPassword();
            }

            @Override
            public String getJdbcUrl() {
                return database.url();
            }
        };
    }

    @Bean
    FlywayConnectionDetails testDatabaseOwner() {
        TestDatabase database = database();
        return new FlywayConnectionDetails() {
            @Override
            public String getUsername() {
                return database.ownerUser();
            }

            @Override
            public String getPassword() {
                return database.ownerPassword();
            }

            @Override
            public String getJdbcUrl() {
                return database.url();
            }
        };
    }
}
