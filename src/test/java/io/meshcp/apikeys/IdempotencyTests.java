package io.meshcp.apikeys;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Idempotency-Key on the REST API's POSTs: a retried create returns the first answer, never a duplicate. */
@IntegrationTest
class IdempotencyTests {

    static final String FINAL = """
            {"externalId": "final", "name": "Final", "kind": "LIVE"}""";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    String[] auth;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
    }

    @Test
    void aRetriedCreateGetsTheFirstAnswerAgainAndCreatesNothingMore() {
        String key = UUID.randomUUID().toString();
        Response first = http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", key));
        Response retry = http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(retry.header("Content-Type")).startsWith("application/json");
        assertThat(count("streams")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_events where tenant_id = ? and type = "
                + "'STREAM_CREATED'", Long.class, tenant.id())).isEqualTo(1);

        // Another organisation's same key is its own.
        Fixtures.Tenant other = fixtures.tenant();
        Response theirs = http.post("/api/v1/streams", FINAL, with(bearer(fixtures.secretKey(other.id()).key()),
                "Idempotency-Key", key));
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.json().get("id").asString()).isNotEqualTo(first.json().get("id").asString());
    }

    @Test
    void aRefusalIsKeptTooAndTheKeyCannotBeReusedForAnotherRequest() {
        String key = "order-4711";
        String bad = "{\"externalId\": \"final\", \"name\": \"\", \"kind\": \"LIVE\"}";
        Response refused = http.post("/api/v1/streams", bad, with(auth, "Idempotency-Key", key));
        assertThat(refused.status()).isEqualTo(400);
        Response again = http.post("/api/v1/streams", bad, with(auth, "Idempotency-Key", key));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("errors").get(0).get("field").asString()).isEqualTo("name");

        Response reused = http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", key));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(count("streams")).isZero();
        // A new key is a new request.
        assertThat(http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", "order-4712")).status())
                .isEqualTo(201);
    }

    @Test
    void whileTheFirstRequestRunsARetryIsToldToWaitAndAnExpiredKeyIsNewAgain() throws Exception {
        // The first request with the key is under way (claimed, no answer yet).
        jdbc.update("insert into api_idempotency_keys (tenant_id, key, request_hash, created_at) values (?, ?, ?, ?)",
                tenant.id(), "in-flight", hash("POST /api/v1/streams\n", FINAL), Timestamp.from(Instant.now()));
        Response wait = http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", "in-flight"));
        assertThat(wait.status()).isEqualTo(409);
        assertThat(wait.header("Retry-After")).isEqualTo("1");
        assertThat(count("streams")).isZero();

        // Kept 24 hours: a day-old key with another request is simply new.
        jdbc.update("insert into api_idempotency_keys (tenant_id, key, request_hash, created_at, status) "
                + "values (?, ?, ?, ?, 201)", tenant.id(), "yesterday", new byte[32],
                Timestamp.from(Instant.now().minus(25, ChronoUnit.HOURS)));
        assertThat(http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", "yesterday")).status())
                .isEqualTo(201);
    }

    @Test
    void aKeyThatIsNotVisibleAsciiIsRefusedNamingTheHeader() {
        Response tooLong = http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", "k".repeat(256)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(http.post("/api/v1/streams", FINAL, with(auth, "Idempotency-Key", "two words")).status())
                .isEqualTo(400);
        assertThat(count("streams")).isZero();
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table + " where tenant_id = ?", Long.class, tenant.id());
    }

    private static byte[] hash(String target, String body) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(target.getBytes(StandardCharsets.UTF_8));
        return sha.digest(body.getBytes(StandardCharsets.UTF_8));
    }
}
