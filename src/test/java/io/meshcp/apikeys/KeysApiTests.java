package io.meshcp.apikeys;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.meshcp.accounts.Role;
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

/** API keys through the REST API: ADMIN keys manage them, with the keys page's rules and audit; roles hold. */
@IntegrationTest
class KeysApiTests {

    static final String STREAM = """
            {"externalId": "final", "name": "Final", "kind": "LIVE"}""";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    String[] admin;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        admin = bearer(fixtures.secretKey(tenant.id(), Role.ADMIN).key());
    }

    @Test
    void anAdminKeyCreatesAKeyWhoseSecretIsShownOnceAndWhoseRoleHolds() {
        Response created = http.post("/api/v1/keys", """
                {"kind": "SECRET", "name": "BI export", "role": "VIEWER"}""", admin);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).contains("no-store");
        String secret = created.json().get("secret").asString();
        String id = created.json().get("key").get("id").asString();
        assertThat(secret).matches("mesh_sk_[A-Za-z0-9]{43}");
        assertThat(created.header("Location")).endsWith("/api/v1/keys/" + id);
        assertThat(created.json().get("key").get("role").asString()).isEqualTo("VIEWER");

        Response read = http.get("/api/v1/keys/" + id, admin);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(secret).contains("\"displayPrefix\":\"" + secret.substring(0, 12));
        assertThat(http.get("/api/v1/keys", admin).body()).contains(id).doesNotContain(secret);
        assertThat(jdbc.queryForObject("select source || ' ' || (details ->> 'role') from audit_events "
                + "where tenant_id = ? and type = 'API_KEY_CREATED' and details ->> 'keyId' = ?", String.class,
                tenant.id(), id)).isEqualTo("API VIEWER");

        // The viewer key reads, and may change nothing.
        String[] viewer = bearer(secret);
        assertThat(http.get("/api/v1/streams", viewer).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/streams", STREAM, viewer).status()).isEqualTo(403);
        assertThat(http.put("/api/v1/kill-switch", "{\"reason\": \"no\"}", viewer).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/keys", "{\"kind\": \"SECRET\", \"name\": \"mine\"}", viewer).status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from streams where tenant_id = ?", Long.class, tenant.id()))
                .isZero();
    }

    @Test
    void anOpsKeyRunsStreamsButManagesNoKeysNorTheTeamNorSettings() {
        String[] ops = bearer(fixtures.secretKey(tenant.id(), Role.OPS).key());
        UUID adminKeyId = UUID.fromString(http.get("/api/v1/keys", admin).json().get(1).get("id").asString());

        assertThat(http.post("/api/v1/streams", STREAM, ops).status()).isEqualTo(201);
        assertThat(http.get("/api/v1/keys", ops).status()).isEqualTo(200);
        Response refused = http.post("/api/v1/keys", "{\"kind\": \"SECRET\", \"name\": \"more\", \"role\": \"OPS\"}",
                ops);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.delete("/api/v1/keys/" + adminKeyId, ops).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/keys/" + adminKeyId + "/rotate", "{}", ops).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/invitations", "{\"email\": \"x@example.com\", \"role\": \"VIEWER\"}", ops)
                .status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from api_keys where tenant_id = ?", Long.class, tenant.id()))
                .isEqualTo(2);
        assertThat(http.get("/api/v1/streams", admin).status()).as("the admin key still works").isEqualTo(200);
    }

    @Test
    void noKeyIsMadeAboveAdminAndPublishableKeysHaveOriginsNotRoles() {
        Response owner = http.post("/api/v1/keys", "{\"kind\": \"SECRET\", \"name\": \"boss\", \"role\": \"OWNER\"}",
                admin);
        Response publishableWithRole = http.post("/api/v1/keys",
                "{\"kind\": \"PUBLISHABLE\", \"name\": \"web\", \"role\": \"OPS\"}", admin);
        Response secretWithOrigins = http.post("/api/v1/keys",
                "{\"kind\": \"SECRET\", \"name\": \"web\", \"allowedOrigins\": [\"https://example.com\"]}", admin);
        Response unknownKind = http.post("/api/v1/keys", "{\"kind\": \"MASTER\", \"name\": \"x\"}", admin);

        assertThat(owner.status()).isEqualTo(400);
        assertThat(owner.json().get("errors").get(0).get("field").asString()).isEqualTo("role");
        assertThat(publishableWithRole.status()).isEqualTo(400);
        assertThat(publishableWithRole.json().get("errors").get(0).get("field").asString()).isEqualTo("role");
        assertThat(secretWithOrigins.status()).isEqualTo(400);
        assertThat(unknownKind.status()).isEqualTo(400);
        assertThat(unknownKind.body()).contains("SECRET").contains("PUBLISHABLE");

        Response publishable = http.post("/api/v1/keys", """
                {"kind": "PUBLISHABLE", "name": "web", "allowedOrigins": ["https://www.example.com"]}""", admin);
        assertThat(publishable.status()).isEqualTo(201);
        assertThat(publishable.json().get("secret").asString()).startsWith("mesh_pk_");
        assertThat(publishable.json().get("key").get("role").isNull()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from api_keys where tenant_id = ?", Long.class, tenant.id()))
                .isEqualTo(2);
    }

    @Test
    void everyBadFieldOfANewKeyIsNamedInOneAnswer() {
        Response refused = http.post("/api/v1/keys", """
                {"kind": "SECRET", "name": "", "role": "OWNER", "expiresAt": "2020-01-01T00:00:00Z",
                 "allowedOrigins": ["https://www.example.com"]}""", admin);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").valueStream().map(error -> error.get("field").asString()))
                .containsExactlyInAnyOrder("name", "expiresAt", "allowedOrigins", "role");
        assertThat(jdbc.queryForObject("select count(*) from api_keys where tenant_id = ?", Long.class, tenant.id()))
                .isEqualTo(1);
    }

    @Test
    void rotatingWithNoGraceStopsTheOldKeyAndTheSuccessorKeepsItsRole() {
        Response created = http.post("/api/v1/keys", "{\"kind\": \"SECRET\", \"name\": \"deploy\", \"role\": \"OPS\"}",
                admin);
        String old = created.json().get("secret").asString();
        String id = created.json().get("key").get("id").asString();

        Response rotated = http.post("/api/v1/keys/" + id + "/rotate", "{\"graceHours\": 0}", admin);

        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.header("Cache-Control")).contains("no-store");
        String successor = rotated.json().get("secret").asString();
        assertThat(rotated.json().get("key").get("role").asString()).isEqualTo("OPS");
        assertThat(rotated.json().get("key").get("name").asString()).isEqualTo("deploy");
        assertThat(rotated.header("Location")).endsWith("/api/v1/keys/" + rotated.json().get("key").get("id")
                .asString());
        assertThat(http.get("/api/v1/streams", bearer(old)).status()).isEqualTo(401);
        assertThat(http.post("/api/v1/streams", STREAM, bearer(successor)).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/keys/" + id + "/rotate", "{\"graceHours\": 721}", admin).status())
                .isEqualTo(400);
    }

    @Test
    void aRevokedKeyIsRefusedAndAnotherOrganisationsKeyIsNotFound() {
        Response created = http.post("/api/v1/keys", "{\"kind\": \"SECRET\", \"name\": \"old\"}", admin);
        String secret = created.json().get("secret").asString();
        String id = created.json().get("key").get("id").asString();
        assertThat(created.json().get("key").get("role").asString()).as("the default role").isEqualTo("OPS");

        Response revoked = http.delete("/api/v1/keys/" + id, admin);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revokedAt").isNull()).isFalse();
        assertThat(http.get("/api/v1/streams", bearer(secret)).status()).isEqualTo(401);
        String[] theirs = bearer(fixtures.secretKey(fixtures.tenant().id(), Role.ADMIN).key());
        assertThat(http.get("/api/v1/keys/" + id, theirs).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/keys/" + id, theirs).status()).isEqualTo(404);
        assertThat(http.post("/api/v1/keys/" + id + "/rotate", "{}", theirs).status()).isEqualTo(404);
    }

    @Test
    void aRetriedCreateNeverMakesASecondKeyAndTheSecretIsNotKeptForTheRetry() {
        String body = "{\"kind\": \"SECRET\", \"name\": \"retried\", \"role\": \"VIEWER\"}";
        String idempotencyKey = UUID.randomUUID().toString();

        Response first = http.post("/api/v1/keys", body, with(admin, "Idempotency-Key", idempotencyKey));
        Response retry = http.post("/api/v1/keys", body, with(admin, "Idempotency-Key", idempotencyKey));

        assertThat(first.status()).isEqualTo(201);
        String secret = first.json().get("secret").asString();
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.body()).doesNotContain(secret).contains("shown only once");
        assertThat(jdbc.queryForObject("select count(*) from api_keys where tenant_id = ? and name = 'retried'",
                Long.class, tenant.id())).isEqualTo(1);
        assertThat(jdbc.queryForObject("select convert_from(body, 'UTF8') from api_idempotency_keys "
                + "where tenant_id = ? and key = ?", String.class, tenant.id(), idempotencyKey)).doesNotContain(secret);
    }
}
