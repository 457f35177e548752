package io.meshcp.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The test database stops taking connections and drops the ones it has, as when PostgreSQL goes away under
 * a running node; closing this lets connections in again.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final Connection admin;

    private final String database;

    private DatabaseOutage(Connection admin, String database) {
        this.admin = admin;
        this.database = database;
    }

    public static DatabaseOutage begin(HikariDataSource dataSource) throws SQLException {
        String database;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                var result = statement.executeQuery("select current_database()")) {
            result.next();
            database = result.getString(1);
        }
        Connection admin = TestDatabase.get().ownerConnection("postgres");
        try (Statement statement = admin.createStatement()) {
            statement.execute("alter database \"" + database + "\" allow_connections false");
            statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database
                    + "' and pid <> pg_backend_pid()");
        }
        return new DatabaseOutage(admin, database);
    }

    @Override
    public void close() throws SQLException {
        try (admin; Statement statement = admin.createStatement()) {
            statement.execute("alter database \"" + database + "\" allow_connections true");
        }
    }
}
