package io.meshcp.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.meshcp.MeshControlPlaneApplication;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database separates organisations by itself: statements that forget the tenant predicate, or name another
 * organisation's rows, run on the application's own connection and see or change nothing of another organisation.
 */
@IntegrationTest
class RowLevelSecurityTests {

    /** The application's connection, as every component uses it. */
    @Autowired
    JdbcTemplate application;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @Autowired
    ApiKeys apiKeys;

    JdbcTemplate owner = TestDatabase.owner();

    UUID alpha;

    UUID beta;

    @BeforeEach
    void twoOrganisationsWithAStreamEach() {
        alpha = fixtures.tenant().id();
        beta = fixtures.tenant().id();
        for (UUID tenant : List.of(alpha, beta)) {
            streams.create(tenant, new StreamRequest("rls-" + tenant, "RLS", StreamKind.LIVE, List.of(), null, false),
                    Actor.SYSTEM);
            apiKeys.create(tenant, new NewKey(KeyKind.SECRET, "rls", List.of(),
                    null), Actor.SYSTEM);
        }
    }

    @Test
    void aQueryWithoutATenantPredicateSeesOnlyItsOwnOrganisation() {
        List<UUID> seen = inScopeOf(alpha, () -> application.queryForList(
                "select distinct tenant_id from streams union select distinct tenant_id from api_keys "
                        + "union select id from tenants union select tenant_id from audit_events", UUID.class));
        assertThat(seen).containsExactly(alpha);

        long allStreams = owner.queryForObject("select count(*) from streams", Long.class);
        assertThat(allStreams).as("the owner sees both, so the scope is what hid beta's").isGreaterThan(1);
        assertThat(inScopeOf(alpha, () -> application.queryForObject("select count(*) from users", Long.class)))
                .as("alpha's owner only").isEqualTo(1);
    }

    @Test
    void writesWithoutATenantPredicateTouchOnlyItsOwnOrganisation() {
        int renamed = inScopeOf(alpha, () -> application.update("update streams set name = 'renamed by alpha'"));
        int deleted = inScopeOf(alpha, () -> application.update("delete from api_keys where true"));

        assertThat(renamed).isEqualTo(1);
        assertThat(deleted).isEqualTo(1);
        assertThat(owner.queryForObject("select name from streams where tenant_id = ?", String.class, beta))
                .isEqualTo("RLS");
        assertThat(owner.queryForObject("select count(*) from api_keys where tenant_id = ?", Long.class, beta))
                .isEqualTo(1);
    }

    @Test
    void anotherOrganisationsRowsCanNeitherBeWrittenNorMovedIn() {
        Throwable foreignInsert = catchThrowable(() -> inScopeOf(alpha, () -> application.update(
                "insert into kill_switches (tenant_id, stream_id, reason, engaged_by, engaged_at) "
                        + "values (?, null, 'x', 'x', now())", beta)));
        Throwable moveOut = catchThrowable(() -> inScopeOf(alpha, () -> application.update(
                "update streams set tenant_id = ?", beta)));

        assertThat(foreignInsert).isInstanceOf(DataAccessException.class)
                .rootCause().hasMessageContaining("violates row-level security policy");
        assertThat(moveOut).isInstanceOf(DataAccessException.class)
                .rootCause().hasMessageContaining("violates row-level security policy");
        assertThat(owner.queryForObject("select count(*) from kill_switches where tenant_id = ?", Long.class, beta))
                .isZero();
        assertThat(owner.queryForObject("select count(*) from streams where tenant_id = ?", Long.class, alpha))
                .isEqualTo(1);
    }

    @Test
    void theAuditLogCanBeWrittenAndReadButNeverChanged() {
        inScopeOf(alpha, () -> application.update("insert into audit_events (tenant_id, occurred_at, type, actor, "
                + "source) values (?, ?, 'RLS_TEST', 'test', 'SYSTEM')", alpha, Timestamp.from(Instant.now())));
        long events = owner.queryForObject("select count(*) from audit_events where tenant_id = ?", Long.class, alpha);

        for (String rewrite : List.of("update audit_events set actor = 'someone else'", "delete from audit_events",
                "truncate audit_events")) {
            for (DatabaseScope.Scope scope : List.of(new DatabaseScope.Tenant(alpha), new DatabaseScope.System())) {
                assertThatThrownBy(() -> in(scope, () -> application.update(rewrite))).as(rewrite + " in " + scope)
                        .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
            }
        }
        assertThat(owner.queryForObject("select count(*) from audit_events where tenant_id = ?", Long.class, alpha))
                .isEqualTo(events);
        assertThatThrownBy(() -> inScopeOf(alpha, () -> application.update("insert into audit_events (tenant_id, "
                + "occurred_at, type, actor, source) values (?, now(), 'FORGED', 'test', 'SYSTEM')", beta)))
                .rootCause().hasMessageContaining("violates row-level security policy");
    }

    @Test
    void withoutAScopeTheApplicationCanReadNothingAtAll() {
        assertThatThrownBy(() -> application.queryForObject("select count(*) from streams", Long.class))
                .as("a statement outside a transaction").isInstanceOf(DataAccessException.class)
                .rootCause().hasMessageContaining("permission denied");
        assertThatThrownBy(() -> transactions.execute(status -> application.queryForObject(
                "select count(*) from streams", Long.class)))
                .as("a transaction begun outside any scope").isInstanceOf(CannotCreateTransactionException.class)
                .hasMessageContaining("outside any database scope");
        assertThatThrownBy(() -> inScopeOf(alpha, () -> application.queryForList(
                "select meshcp_create_telemetry_partition(7, date '2020-01-01')")))
                .as("partitions are the system's to make").rootCause().hasMessageContaining("permission denied");
    }

    @Test
    void oneOrganisationsWorkCannotReachIntoAnothers() {
        assertThatThrownBy(() -> DatabaseScope.tenant(alpha, () -> streams.list(beta, null, false, 0, 10)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(beta.toString());
        assertThat(DatabaseScope.tenant(alpha, () -> streams.list(alpha, null, false, 0, 10)).getTotalElements())
                .isEqualTo(1);
    }

    @Test
    void everyTableIsUnderForcedRowLevelSecurityWithATenantPolicy() {
        List<Map<String, Object>> tables = owner.queryForList("""
                select c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       exists (select from pg_policy p where p.polrelid = c.oid and p.polname = 'tenant_scope') as policy
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
                  and c.relname <> 'flyway_schema_history'""");
        assertThat(tables).hasSizeGreaterThan(20);
        assertThat(tables).allSatisfy(table -> assertThat(table).as(table.get("relname").toString())
                .containsEntry("relrowsecurity", true).containsEntry("relforcerowsecurity", true)
                .containsEntry("policy", true));
    }

    @Test
    void theApplicationLogsInAsARoleThatOwnsNothingAndCannotBypassRowLevelSecurity() {
        Map<String, Object> login = application.queryForMap("""
                select current_user as name, r.rolsuper, r.rolbypassrls,
                       (select count(*) from pg_class c where c.relowner = r.oid) as owned
                from pg_roles r where r.rolname = current_user""");
        assertThat(login).containsEntry("name", TestDatabase.APPLICATION_LOGIN).containsEntry("rolsuper", false)
                .containsEntry("rolbypassrls", false).containsEntry("owned", 0L);
    }

    @Test
    void theApplicationRefusesToStartAsTheOwnerOfTheTables() {
        TestDatabase database = TestDatabase.get();
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(MeshControlPlaneApplication.class)
                .run("--server.port=0", "--meshcp.signaling.port=0", "--meshcp.embedded-postgres.enabled=false",
                        "--spring.datasource.url=" + database.url(),
                        "--spring.datasource.username=" + database.ownerUser(),
                        "--spring.datasource.password=" + database.ownerPassword())
                .close());

        Throwable cause = failure;
        while (cause != null && !(cause instanceof UnconfinedDatabaseLoginException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("failure %s", failure).isInstanceOf(UnconfinedDatabaseLoginException.class);
        FailureAnalysis analysis = new UnconfinedDatabaseLoginFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains(database.ownerUser()).contains("superuser");
        assertThat(analysis.getAction()).contains("SPRING_FLYWAY_USER").contains("NOINHERIT");
    }

    private <T> T inScopeOf(UUID tenant, Supplier<T> work) {
        return in(new DatabaseScope.Tenant(tenant), work);
    }

    private <T> T in(DatabaseScope.Scope scope, Supplier<T> work) {
        return DatabaseScope.within(scope, () -> transactions.execute(status -> work.get()));
    }
}
