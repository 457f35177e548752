package io.meshcp.audit;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.meshcp.shared.caller.Source;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AuditApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    AuditLog auditLog;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    String key;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        key = fixtures.secretKey(tenant.id()).key();
    }

    @Test
    void listsTheTenantsEventsNewestFirstWithSourceActorAndDetails() {
        Response response = http.get("/api/v1/audit-events", bearer(key));

        assertThat(response.status()).isEqualTo(200);
        List<String> types = types(response.json());
        assertThat(types).containsExactly("API_KEY_CREATED", "TENANT_SIGNED_UP");
        JsonNode created = response.json().get("items").get(0);
        assertThat(created.get("source").asString()).isEqualTo("SYSTEM");
        assertThat(created.get("details").get("prefix").asString()).isEqualTo(key.substring(0, 12));
        assertThat(response.body()).doesNotContain(key.substring(12));
        assertThat(response.json().get("totalItems").asLong()).isEqualTo(2);
    }

    @Test
    void filtersByTypeAndTimeAndPages() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            insert("LOGIN_FAILED", t0.plusSeconds(i * 60L));
        }
        insert("MEMBER_REMOVED", t0.plusSeconds(30));

        Response byType = http.get("/api/v1/audit-events?type=MEMBER_REMOVED", bearer(key));
        Response byTime = http.get("/api/v1/audit-events?from=2026-01-01T00:01:00Z&to=2026-01-01T00:03:00Z",
                bearer(key));
        Response page = http.get("/api/v1/audit-events?type=LOGIN_FAILED&size=2&page=1", bearer(key));

        assertThat(types(byType.json())).containsExactly("MEMBER_REMOVED");
        assertThat(byTime.json().get("items")).extracting(item -> item.get("occurredAt").asString())
                .containsExactly("2026-01-01T00:02:00Z", "2026-01-01T00:01:00Z");
        assertThat(page.json().get("items")).extracting(item -> item.get("occurredAt").asString())
                .containsExactly("2026-01-01T00:02:00Z", "2026-01-01T00:01:00Z");
        assertThat(page.json().get("totalItems").asLong()).isEqualTo(5);
        assertThat(page.json().get("totalPages").asInt()).isEqualTo(3);
    }

    @Test
    void aCursorReadsOnToOlderEventsUnshiftedByNewOnesEvenAtTheSameInstant() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 4; i++) {
            // Two events share each instant: the cursor must tell them apart by id.
            insert("LOGIN_FAILED", t0.plusSeconds(i / 2 * 60L));
        }
        Response first = http.get("/api/v1/audit-events?type=LOGIN_FAILED&size=3", bearer(key));
        assertThat(first.json().get("items")).hasSize(3);
        String next = first.json().get("nextCursor").asString();
        assertThat(first.header("Link")).contains("cursor=" + next).endsWith("; rel=\"next\"");

        insert("LOGIN_FAILED", t0.plusSeconds(600));
        Response second = http.get("/api/v1/audit-events?type=LOGIN_FAILED&size=3&cursor=" + next, bearer(key));
        assertThat(second.json().get("items")).hasSize(1);
        List<Long> ids = List.of(first.json().get("items").get(2).get("id").asLong(),
                second.json().get("items").get(0).get("id").asLong());
        assertThat(ids.get(1)).isLessThan(ids.get(0));
        assertThat(second.json().get("items").get(0).get("occurredAt").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(second.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void anotherTenantsEventsAreNeverListed() {
        Fixtures.Tenant other = fixtures.tenant();
        String othersKey = fixtures.secretKey(other.id()).key();

        Response mine = http.get("/api/v1/audit-events?size=200", bearer(key));
        Response theirs = http.get("/api/v1/audit-events?size=200", bearer(othersKey));

        assertThat(mine.body()).doesNotContain(other.ownerEmail()).doesNotContain(othersKey.substring(0, 12));
        assertThat(theirs.body()).doesNotContain(tenant.ownerEmail()).doesNotContain(key.substring(0, 12));
    }

    @Test
    void badParametersAnswer400NamingTheParameter() {
        Map<String, String> cases = Map.of(
                "/api/v1/audit-events?size=0", "size",
                "/api/v1/audit-events?size=201", "size",
                "/api/v1/audit-events?page=-1", "page",
                "/api/v1/audit-events?page=abc", "page",
                "/api/v1/audit-events?from=yesterday", "from");

        cases.forEach((path, field) -> {
            Response response = http.get(path, bearer(key));
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("type").asString()).isEqualTo("urn:meshcp:problem:validation");
            assertThat(response.json().get("errors").get(0).get("field").asString()).as(path).isEqualTo(field);
        });
    }

    @Test
    void unknownPathsAndMethodsAnswerProblemDetails() {
        Response missing = http.get("/api/v1/no-such-thing", bearer(key));
        Response method = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/audit-events"))
                .DELETE(), bearer(key));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("type").asString()).isEqualTo("urn:meshcp:problem:not-found");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("type").asString()).isEqualTo("urn:meshcp:problem:method-not-allowed");
    }

    private void insert(String type, Instant at) {
        jdbc.update("insert into audit_events (tenant_id, occurred_at, type, actor, source, details) "
                + "values (?, ?, ?, 'test', ?, '{}'::jsonb)", tenant.id(), Timestamp.from(at), type,
                Source.API.name());
    }

    private static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("items").forEach(item -> types.add(item.get("type").asString()));
        return types;
    }
}
