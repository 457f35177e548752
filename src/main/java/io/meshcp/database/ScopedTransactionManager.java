package io.meshcp.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.persistence.EntityManagerFactory;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's JPA transaction manager, with each new transaction put in the thread's {@link DatabaseScope} before its
 * first statement: the role ({@code meshcp_tenant_scope} or {@code meshcp_system_scope}) and the organisation, both
 * local to the transaction, so nothing outlives it on the pooled connection. One round trip per transaction.
 */
class ScopedTransactionManager extends JpaTransactionManager {

    static final String TENANT_ROLE = "meshcp_tenant_scope";

    static final String SYSTEM_ROLE = "meshcp_system_scope";

    private static final String ENTER = "select set_config('role', ?, true), set_config('meshcp.tenant_id', ?, true)";

    ScopedTransactionManager(EntityManagerFactory entityManagerFactory) {
        super(entityManagerFactory);
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        DatabaseScope.Scope scope = DatabaseScope.current();
        if (scope == null) {
            throw new CannotCreateTransactionException("A transaction began outside any database scope ("
                    + definition.getName() + "): give the method a @TenantId parameter, or say why it needs the "
                    + "system scope with DatabaseScope.system");
        }
        super.doBegin(transaction, definition);
        try {
            enter(scope);
        }
        catch (SQLException | RuntimeException e) {
            // Typically a pooled connection the server dropped: the failure must reach the caller as it is (a
            // connection failure answers 503), not as whatever the rollback on the dead connection throws.
            abandon(transaction, e);
            throw new CannotCreateTransactionException("Could not enter " + scope + " in a new transaction", e);
        }
    }

    private void enter(DatabaseScope.Scope scope) throws SQLException {
        ConnectionHolder holder = (ConnectionHolder) TransactionSynchronizationManager.getResource(obtainDataSource());
        if (holder == null) {
            throw new IllegalStateException("the JPA transaction exposes no JDBC connection to scope");
        }
        Connection connection = holder.getConnection();
        try (PreparedStatement statement = connection.prepareStatement(ENTER)) {
            if (scope instanceof DatabaseScope.Tenant(var id)) {
                statement.setString(1, TENANT_ROLE);
                statement.setString(2, id.toString());
            }
            else {
                statement.setString(1, SYSTEM_ROLE);
                statement.setString(2, "");
            }
            statement.execute();
        }
    }

    private javax.sql.DataSource obtainDataSource() {
        javax.sql.DataSource dataSource = getDataSource();
        if (dataSource == null) {
            throw new IllegalStateException("the transaction manager knows no DataSource");
        }
        return dataSource;
    }

    private void abandon(Object transaction, Exception failure) {
        var holder = (EntityManagerHolder) TransactionSynchronizationManager.getResource(obtainEntityManagerFactory());
        try {
            if (holder != null && holder.getEntityManager().getTransaction().isActive()) {
                holder.getEntityManager().getTransaction().rollback();
            }
        }
        catch (RuntimeException rollback) {
            failure.addSuppressed(rollback);
        }
        try {
            doCleanupAfterCompletion(transaction);
        }
        catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }
}
