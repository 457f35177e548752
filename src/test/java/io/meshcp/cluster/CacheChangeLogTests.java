package io.meshcp.cluster;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.meshcp.database.DatabaseScope;
import io.meshcp.policies.PolicyChanged;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamView;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/** Changes reach the other nodes' caches through the database: written with the change, read by every node. */
@IntegrationTest
class CacheChangeLogTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    StreamDirectory directory;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionOperations transactions;

    /** The application's connection, as every component uses it. */
    @Autowired
    JdbcTemplate application;

    JdbcTemplate jdbc = TestDatabase.owner();

    Fixtures.Tenant tenant;

    String[] auth;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
    }

    @Test
    void aChangeIsWrittenByTheTransactionThatCommitsItAndNeverByOneThatRollsBack() {
        String id = http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth).json().get("id").asString();
        assertThat(jdbc.queryForList("select kind || ' ' || tenant_id || ' ' || external_id from cache_changes "
                + "where stream_id = ?::uuid", String.class, id)).containsExactly("STREAM " + tenant.id() + " final");

        UUID rolledBack = UUID.randomUUID();
        DatabaseScope.tenant(tenant.id(), () -> transactions.executeWithoutResult(status -> {
            events.publishEvent(new PolicyChanged(tenant.id(), rolledBack));
            status.setRollbackOnly();
        }));
        assertThat(jdbc.queryForObject("select count(*) from cache_changes where stream_id = ?", Long.class,
                rolledBack)).isZero();
    }

    @Test
    void anotherNodesChangeReachesThisNodesCacheWithinAPollWhileAChangeOutsideTheApplicationWaitsForTheRefresh() {
        String id = http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth).json().get("id").asString();
        assertThat(directory.byExternalId(tenant.id(), "final")).map(StreamView::name).contains("Final");

        // An edit outside the application: nothing tells the cache, which keeps what it read.
        jdbc.update("update streams set name = 'Cup final' where id = ?::uuid", id);
        assertThat(directory.byExternalId(tenant.id(), "final")).map(StreamView::name).contains("Final");

        // What another node's change writes beside the row it changed.
        jdbc.update("insert into cache_changes (node, kind, tenant_id, stream_id, external_id) "
                + "values (gen_random_uuid(), 'STREAM', ?, ?::uuid, 'final')", tenant.id(), id);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> directory.byExternalId(tenant.id(), "final").map(StreamView::name)
                        .orElseThrow().equals("Cup final"));
    }

    @Test
    void anOrganisationsScopeSeesOnlyItsOwnChangesAndCannotWriteAnothers() {
        Fixtures.Tenant other = fixtures.tenant();
        for (Fixtures.Tenant each : new Fixtures.Tenant[] {tenant, other}) {
            assertThat(http.post("/api/v1/streams", """
                    {"externalId": "final", "name": "Final", "kind": "LIVE"}""",
                    bearer(fixtures.secretKey(each.id()).key())).status()).isEqualTo(201);
        }
        Long othersSeen = DatabaseScope.tenant(tenant.id(), () -> transactions.execute(status -> application
                .queryForObject("select count(*) from cache_changes where tenant_id is distinct from ?", Long.class,
                        tenant.id())));
        assertThat(othersSeen).isZero();

        assertThatThrownBy(() -> DatabaseScope.tenant(tenant.id(), () -> transactions.executeWithoutResult(status ->
                application.update("insert into cache_changes (node, kind, tenant_id) values (gen_random_uuid(), "
                        + "'POLICY', ?)", other.id())))).isInstanceOf(DataAccessException.class)
                .rootCause().hasMessageContaining("violates row-level security policy");
    }
}
