package io.meshcp.shared.problems;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

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

/** A request body's every field of the wrong type, and every unknown one, named in one answer; nothing done. */
@IntegrationTest
class BodyBindingProblemsTests {

    static final String ZONE = "must be an ISO-8601 instant with its zone";

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
    void everyFieldOfTheWrongTypeAndEveryUnknownFieldIsNamedAtOnceAndNothingChanges() {
        Response refused = http.put("/api/v1/policy", """
                {"latencyBudgetMs": "fast", "maxPeers": {"desktop": 4, "mobile": "many"}, "colour": "red",
                 "holdoutPercent": [5], "p2pEnabled": "yes", "minSwarmSize": 3}""", with(auth, "If-Match", "\"v0\""));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:meshcp:problem:validation");
        assertThat(errors(refused)).containsExactlyInAnyOrder(
                "latencyBudgetMs: must be a whole number",
                "maxPeers.mobile: must be a whole number",
                "colour: is not a known field",
                "holdoutPercent: must be a whole number",
                "p2pEnabled: must be true or false");
        assertThat(http.get("/api/v1/policy", auth).header("ETag")).isEqualTo("\"v0\"");
        assertThat(jdbc.queryForObject("select count(*) from audit_events where tenant_id = ? and type like 'POLICY%'",
                Long.class, tenant.id())).isZero();
    }

    @Test
    void timesWithoutAZoneAreExplainedForEachFieldBesideTheOtherErrors() {
        Response refused = http.post("/api/v1/live-events", """
                {"streamId": "not-a-uuid", "name": "Final", "startsAt": "2026-12-12T19:45:00",
                 "endsAt": "tomorrow evening"}""", auth);

        assertThat(refused.status()).isEqualTo(400);
        List<String> errors = errors(refused);
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).isEqualTo("streamId: must be a UUID, such as 3f5bd37a-81ec-4c6c-819c-132f978c7ee1");
        assertThat(errors.get(1)).startsWith("startsAt: " + ZONE).contains("2026-12-12T19:45:00Z");
        assertThat(errors.get(2)).startsWith("endsAt: " + ZONE);
        assertThat(jdbc.queryForObject("select count(*) from live_events where tenant_id = ?", Long.class,
                tenant.id())).isZero();
    }

    @Test
    void fieldsInListsAreNamedByTheirPlaceAndEnumsListTheirValues() {
        Response refused = http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "SHOW", "renditions": [
                  {"id": "1080p", "bitrate": 6000000}, {"id": "720p", "bitrate": "high", "codec": "h264"}]}""", auth);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(errors(refused)).containsExactlyInAnyOrder(
                "kind: must be one of LIVE, VOD",
                "renditions[1].bitrate: must be a whole number",
                "renditions[1].codec: is not a known field");
        assertThat(jdbc.queryForObject("select count(*) from streams where tenant_id = ?", Long.class, tenant.id()))
                .isZero();
    }

    @Test
    void aBodyOfTheWrongShapeOrNotJsonIsStillRefusedAsAWhole() {
        for (String body : new String[] {"[]", "\"stream\"", "{\"externalId\": ", "{\"name\": \"x\"} trailing"}) {
            Response refused = http.post("/api/v1/streams", body, auth);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.json().get("type").asString()).as(body).startsWith("urn:meshcp:problem:");
        }
        // The next request with a good body binds as usual: nothing of the refused ones stayed behind.
        assertThat(http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth).status()).isEqualTo(201);
    }

    private static List<String> errors(Response response) {
        List<String> errors = new ArrayList<>();
        for (JsonNode error : response.json().get("errors")) {
            errors.add(error.get("field").asString() + ": " + error.get("message").asString());
        }
        return errors;
    }
}
