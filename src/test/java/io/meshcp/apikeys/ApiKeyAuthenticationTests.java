package io.meshcp.apikeys;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.Tokens;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.NotFoundException;
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

@IntegrationTest
class ApiKeyAuthenticationTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApiKeys apiKeys;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
    }

    @Test
    void aSecretKeyReadsItsOwnTenant() {
        IssuedKey key = fixtures.secretKey(tenant.id());

        Response response = http.get("/api/v1/tenant", bearer(key.key()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("id").asString()).isEqualTo(tenant.id().toString());
        assertThat(response.json().get("name").asString()).isEqualTo(tenant.view().name());
    }

    @Test
    void everyAnswerToAKeyTellsItsRateLimitAndARefusedKeySpendsNothing() {
        IssuedKey key = fixtures.secretKey(tenant.id());

        Response first = http.get("/api/v1/tenant", bearer(key.key()));
        Response second = http.get("/api/v1/streams/" + UUID.randomUUID(), bearer(key.key()));

        // The shipped limit: 600 a minute per key.
        assertThat(first.header("RateLimit-Limit")).isEqualTo("600");
        assertThat(first.header("RateLimit-Policy")).isEqualTo("600;w=60");
        assertThat(first.header("RateLimit-Remaining")).isEqualTo("599");
        assertThat(Long.parseLong(first.header("RateLimit-Reset"))).isBetween(1L, 60L);
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.header("RateLimit-Remaining")).isEqualTo("598");
        Response unauthenticated = http.get("/api/v1/tenant", bearer("mesh_sk_" + "y".repeat(43)));
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.header("RateLimit-Limit")).isNull();
    }

    @Test
    void generatedKeysHaveTheDocumentedFormatAndAreStoredOnlyAsHashes() {
        IssuedKey key = fixtures.secretKey(tenant.id());

        assertThat(key.key()).matches("mesh_sk_[A-Za-z0-9]{43}");
        assertThat(key.view().displayPrefix()).isEqualTo(key.key().substring(0, 12));
        List<String> rows = jdbc.queryForList(
                "select concat_ws('|', display_prefix, encode(key_hash, 'hex'), name) from api_keys where tenant_id = ?",
                String.class, tenant.id());
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row).doesNotContain(key.key().substring(12));
            assertThat(row).contains(HexFormat.of().formatHex(Tokens.sha256(key.key())));
        });
    }

    @Test
    void missingMalformedAndForeignCredentialsAnswer401ProblemDetails() {
        IssuedKey publishable = apiKeys.create(tenant.id(),
                new NewKey(KeyKind.PUBLISHABLE, "web", List.of("https://example.com"), null), Actor.SYSTEM);
        List<String[]> refused = List.of(new String[0],
                new String[] {"Authorization", "Basic dXNlcjpwYXNz"},
                new String[] {"Authorization", "Bearer"},
                new String[] {"Authorization", "Bearer not-a-key"},
                bearer("mesh_sk_" + "A".repeat(43)),
                bearer(publishable.key()));

        for (String[] headers : refused) {
            Response response = http.get("/api/v1/tenant", headers);
            assertThat(response.status()).as(String.join(" ", headers)).isEqualTo(401);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.json().get("type").asString()).isEqualTo("urn:meshcp:problem:unauthenticated");
            assertThat(response.json().get("status").asInt()).isEqualTo(401);
            assertThat(response.json().get("detail").asString()).isNotBlank();
        }
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceOnTheNodeThatRevokedIt() {
        IssuedKey key = fixtures.secretKey(tenant.id());
        assertThat(http.get("/api/v1/tenant", bearer(key.key())).status()).isEqualTo(200);

        apiKeys.revoke(tenant.id(), key.view().id(), Actor.SYSTEM);

        assertThat(http.get("/api/v1/tenant", bearer(key.key())).status()).isEqualTo(401);
    }

    @Test
    void verificationIsServedFromMemoryAndSeesAnotherNodesRevocationWithinASecondOrTwo() {
        IssuedKey key = fixtures.secretKey(tenant.id());
        assertThat(http.get("/api/v1/tenant", bearer(key.key())).status()).isEqualTo(200);

        // Only the row changes, as an edit outside the application would: served from memory, the next request does
        // not see it.
        jdbc.update("update api_keys set revoked_at = now() where id = ?", key.view().id());
        assertThat(http.get("/api/v1/tenant", bearer(key.key())).status()).isEqualTo(200);

        // What another node's revocation also writes, in the same transaction: this node reads it within a poll.
        jdbc.update("insert into cache_changes (node, kind, key_hash) select gen_random_uuid(), 'API_KEY', "
                + "encode(key_hash, 'hex') from api_keys where id = ?", key.view().id());
        Instant logged = Instant.now();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/api/v1/tenant", bearer(key.key())).status() == 401);
        assertThat(Duration.between(logged, Instant.now())).isLessThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void anExpiredKeyIsRefused() {
        IssuedKey key = apiKeys.create(tenant.id(),
                new NewKey(KeyKind.SECRET, "short-lived", List.of(), Instant.now().plusMillis(1500)), Actor.SYSTEM);
        assertThat(http.get("/api/v1/tenant", bearer(key.key())).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/api/v1/tenant", bearer(key.key())).status() == 401);
    }

    @Test
    void rotationGivesANewKeyAndTheOldOneWorksOnlyForTheGracePeriod() {
        IssuedKey original = fixtures.secretKey(tenant.id());

        IssuedKey withGrace = apiKeys.rotate(tenant.id(), original.view().id(), Duration.ofHours(1), Actor.SYSTEM);

        assertThat(withGrace.key()).isNotEqualTo(original.key());
        assertThat(http.get("/api/v1/tenant", bearer(withGrace.key())).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/tenant", bearer(original.key())).status()).isEqualTo(200);

        IssuedKey immediate = apiKeys.rotate(tenant.id(), withGrace.view().id(), Duration.ZERO, Actor.SYSTEM);

        assertThat(http.get("/api/v1/tenant", bearer(withGrace.key())).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/tenant", bearer(immediate.key())).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/tenant", bearer(original.key())).status()).isEqualTo(200);
    }

    @Test
    void lastUsedIsRecordedWithoutAWritePerRequest() {
        IssuedKey key = fixtures.secretKey(tenant.id());
        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/api/v1/tenant", bearer(key.key())).status()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "select last_used_at is not null from api_keys where id = ?", Boolean.class, key.view().id()));
        assertThat(apiKeys.list(tenant.id())).singleElement()
                .satisfies(view -> assertThat(view.lastUsedAt()).isNotNull());
    }

    @Test
    void anotherTenantsKeyCannotBeRevokedOrRotated() {
        Fixtures.Tenant other = fixtures.tenant();
        IssuedKey othersKey = fixtures.secretKey(other.id());

        assertThatThrownBy(() -> apiKeys.revoke(tenant.id(), othersKey.view().id(), Actor.SYSTEM))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> apiKeys.rotate(tenant.id(), othersKey.view().id(), Duration.ZERO, Actor.SYSTEM))
                .isInstanceOf(NotFoundException.class);
        assertThat(http.get("/api/v1/tenant", bearer(othersKey.key())).status()).isEqualTo(200);
    }
}
