package io.meshcp.analytics;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The analytics API takes a stream by the broadcaster's external id (the one players report) as well as ours. */
@IntegrationTest
class AnalyticsByExternalIdTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    Http http;

    String[] auth;

    String finalId;

    String range;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        Fixtures.Tenant tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
        String publishable = fixtures.publishableKey(tenant.id()).key();
        finalId = createStream("final");
        createStream("other");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        range = "from=" + hour + "&to=" + hour.plus(2, ChronoUnit.HOURS);
        Response ingest = http.post("/v1/telemetry?key=" + publishable, "{\"events\": ["
                + event("final", hour.plusSeconds(60), 1_000, 3_000) + ","
                + event("final", hour.plusSeconds(3_660), 2_000, 2_000) + ","
                + event("other", hour.plusSeconds(120), 9_000, 0) + "]}");
        assertThat(ingest.json().get("accepted").asInt()).isEqualTo(3);
    }

    @Test
    void aStreamsExternalIdSelectsTheSameAsItsIdInEveryReport() {
        for (String report : List.of("summary", "timeseries?granularity=hour&", "ineligibility", "concurrency")) {
            String path = "/api/v1/analytics/" + (report.endsWith("&") ? report : report + "?") + range + "&streamId=";
            JsonNode byId = get(path + finalId);
            JsonNode byExternalId = get(path + "final");

            assertThat(byExternalId).as(report).isEqualTo(byId);
            assertThat(byExternalId).as(report + ": the stream's own, not the tenant's")
                    .isNotEqualTo(get(path + "other"));
        }
        JsonNode summary = get("/api/v1/analytics/summary?" + range + "&streamId=final");
        assertThat(summary.get("total").get("events").asLong()).isEqualTo(2);
        assertThat(summary.get("total").get("cdnBytes").asLong()).isEqualTo(3_000);
    }

    @Test
    void ourIdWinsOverAnExternalIdThatLooksLikeIt() {
        // A broadcaster may well use UUIDs of its own; one of them equal to another stream's id here.
        createStream(finalId);

        JsonNode byId = get("/api/v1/analytics/summary?" + range + "&streamId=" + finalId);

        assertThat(byId.get("total").get("events").asLong()).isEqualTo(2);
    }

    @Test
    void anUnknownOrAnotherTenantsStreamIsNotFound() {
        String[] otherAuth = bearer(fixtures.secretKey(fixtures.tenant().id()).key());
        String theirs = http.post("/api/v1/streams",
                "{\"externalId\": \"theirs\", \"name\": \"T\", \"kind\": \"LIVE\"}", otherAuth).json().get("id")
                .asString();

        for (String streamId : List.of("nope", "theirs", theirs, UUID.randomUUID().toString())) {
            Response response = http.get("/api/v1/analytics/summary?" + range + "&streamId=" + streamId, auth);
            assertThat(response.status()).as(streamId).isEqualTo(404);
            assertThat(response.json().get("type").asString()).isEqualTo("urn:meshcp:problem:not-found");
            assertThat(response.json().get("detail").asString()).contains(streamId);
        }
    }

    private String createStream(String externalId) {
        Response created = http.post("/api/v1/streams", "{\"externalId\": \"" + externalId + "\", \"name\": \""
                + externalId + "\", \"kind\": \"LIVE\"}", auth);
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private JsonNode get(String path) {
        Response response = http.get(path, auth);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.json();
    }

    private static String event(String stream, Instant ts, long cdnBytes, long p2pBytes) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "session-%s", "streamId": "%s", "cohort": "p2p",
                 "intervalMs": 10000, "cdnBytes": %d, "p2pBytesDown": %d, "p2pBytesUp": 0, "playMs": 10000,
                 "rebufferMs": 0, "device": "desktop", "p2pReasons": ["NAT_SYMMETRIC"]}"""
                .formatted(UUID.randomUUID(), ts, stream, stream, cdnBytes, p2pBytes);
    }
}
