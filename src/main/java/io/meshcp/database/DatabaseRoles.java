package io.meshcp.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who is who in the database. Migrations run as the owner (Flyway's connection, {@code spring.flyway.user}); the
 * application logs in as another role (the datasource's), which owns nothing and gets the two scope roles of V13,
 * without inheriting their privileges. After migrating, the owner grants them; then the application checks, on its
 * own connection, that the database will hold it to its scopes, and refuses to start if not.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseRoles {

    private static final Logger log = LoggerFactory.getLogger(DatabaseRoles.class);

    private static final String SCOPES = ScopedTransactionManager.TENANT_ROLE + ", "
            + ScopedTransactionManager.SYSTEM_ROLE;

    @Bean
    FlywayMigrationStrategy migrateThenGrantScopes(DataSource application) {
        return flyway -> {
            flyway.migrate();
            try {
                String login = login(application);
                grantScopes(flyway.getConfiguration().getDataSource(), login);
                requireConfined(application, login);
            }
            catch (SQLException e) {
                throw new IllegalStateException("Could not set up the application's database role: " + e.getMessage(),
                        e);
            }
        };
    }

    private static String login(DataSource application) throws SQLException {
        try (Connection connection = application.getConnection(); Statement statement = connection.createStatement();
                ResultSet user = statement.executeQuery("select current_user")) {
            user.next();
            return user.getString(1);
        }
    }

    private static void grantScopes(DataSource owner, String login) throws SQLException {
        try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet self = statement.executeQuery("select current_user = " + literal(login))) {
                self.next();
                if (self.getBoolean(1)) {
                    return; // requireConfined says what is wrong with that
                }
            }
            if (connection.getMetaData().getDatabaseMajorVersion() >= 16) {
                statement.execute("grant " + SCOPES + " to " + identifier(login) + " with inherit false, set true");
            }
            else {
                // Before 16 inheritance is the member's attribute, not the grant's.
                statement.execute("grant " + SCOPES + " to " + identifier(login));
                statement.execute("alter role " + identifier(login) + " noinherit");
            }
        }
    }

    private static void requireConfined(DataSource application, String login) throws SQLException {
        String check = """
                select r.rolsuper, r.rolbypassrls,
                    exists (select from pg_class c where c.relowner = r.oid and c.relnamespace = current_schema()::regnamespace),
                    pg_has_role(r.oid, '%1$s', 'USAGE') or pg_has_role(r.oid, '%2$s', 'USAGE'),
                    pg_has_role(r.oid, '%1$s', 'MEMBER') and pg_has_role(r.oid, '%2$s', 'MEMBER')
                from pg_roles r where r.rolname = current_user
                """.formatted(ScopedTransactionManager.TENANT_ROLE, ScopedTransactionManager.SYSTEM_ROLE);
        try (Connection connection = application.getConnection(); Statement statement = connection.createStatement();
                ResultSet role = statement.executeQuery(check)) {
            role.next();
            String problem = role.getBoolean(1) ? "is a superuser, which no row-level security holds"
                    : role.getBoolean(2) ? "has BYPASSRLS"
                    : role.getBoolean(3) ? "owns tables, so it could turn row-level security off"
                    : role.getBoolean(4) ? "inherits a scope role's privileges, so statements outside a scope would run"
                    : !role.getBoolean(5) ? "was not granted the scope roles" : null;
            if (problem != null) {
                throw new UnconfinedDatabaseLoginException(login, problem);
            }
        }
        log.info("The application logs in to the database as {}, confined to tenant and system scopes", login);
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
