package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
class OpenApiTests {

    @LocalServerPort
    int port;

    @Test
    void theApiDocumentDeclaresTheSecretKeySchemeAndTheOperations() {
        Response response = new Http(port).get("/v3/api-docs");

        assertThat(response.status()).isEqualTo(200);
        JsonNode document = response.json();
        JsonNode scheme = document.get("components").get("securitySchemes").get("secretKey");
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
        assertThat(document.get("security").get(0).has("secretKey")).isTrue();
        assertThat(document.get("paths").has("/api/v1/tenant")).isTrue();
        assertThat(document.get("paths").has("/api/v1/audit-events")).isTrue();
        assertThat(document.get("paths").has("/keys")).as("dashboard routes stay out of the API document").isFalse();
        assertThat(document.get("paths").has("/analytics/data")).as("so does the dashboard's own JSON").isFalse();
    }

    /**
     * The document is docs/openapi.json, the copy the docs publish and the tests' generated client is built from:
     * every change to the API shows in a review as a change to that file. After a deliberate change, copy
     * target/openapi.json (written when they differ) over it.
     */
    @Test
    void theDocumentIsTheCommittedCopySoEveryApiChangeIsDeliberate() throws IOException {
        String live = canonical(new Http(port).get("/v3/api-docs").body());
        Path committed = Path.of("docs/openapi.json");
        String copy = Files.exists(committed) ? Files.readString(committed) : "";
        if (!copy.equals(live)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/openapi.json"), live);
        }
        assertThat(copy.equals(live)).as("docs/openapi.json is not the document the application serves (first "
                + "difference at %s); if the change is deliberate, copy target/openapi.json over it",
                firstDifference(copy, live)).isTrue();
    }

    @Test
    void everyOperationHasAUniqueMeaningfulIdATagAndEveryErrorItCanAnswer() {
        JsonNode paths = new Http(port).get("/v3/api-docs").json().get("paths");
        Set<String> ids = new HashSet<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            JsonNode operation = entry.getValue();
            String where = entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            String id = operation.path("operationId").asString("");
            assertThat(id).as(where).matches("[a-z][A-Za-z]{3,}").doesNotContain("_");
            assertThat(ids.add(id)).as("unique id " + id).isTrue();
            assertThat(operation.get("tags")).as(where).isNotEmpty();
            JsonNode responses = operation.get("responses");
            assertThat(responses.has("503") || path.getKey().equals("/v1/ping")).as(where + " 503").isTrue();
            responses.properties().forEach(response -> {
                JsonNode content = response.getValue().path("content");
                assertThat(content.has("*/*")).as(where + " " + response.getKey() + " typed */*").isFalse();
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                    assertThat(content.path("application/problem+json").path("schema").path("$ref").asString())
                            .as(where + " " + response.getKey()).isEqualTo("#/components/schemas/Problem");
                }
            });
            if (entry.getKey().equals("put") && path.getKey().contains("/policy")) {
                assertThat(responses.has("412") && responses.has("428")).as(where).isTrue();
                assertThat(operation.get("parameters").valueStream()
                        .filter(p -> p.get("name").asString().equals("If-Match")).findFirst().orElseThrow()
                        .get("required").asBoolean()).as(where + " If-Match required").isTrue();
            }
        }));
        assertThat(ids).contains("createStream", "replaceStreamPolicy", "scheduleLiveEvent", "engageTenantKillSwitch",
                "listAuditEvents", "getSummary", "ingestTelemetry", "getClientConfig");
    }

    @Test
    void requiredFieldsRangesAndValuesAreInTheDocument() {
        JsonNode document = new Http(port).get("/v3/api-docs").json();
        JsonNode schemas = document.get("components").get("schemas");
        assertThat(schemas.get("LiveEventRequest").get("required").valueStream().map(JsonNode::asString))
                .contains("streamId", "name", "startsAt", "endsAt", "overrides");
        JsonNode budget = schemas.get("PolicyFields").get("properties").get("latencyBudgetMs");
        assertThat(budget.get("minimum").asInt()).isEqualTo(500);
        assertThat(budget.get("maximum").asInt()).isEqualTo(120_000);
        assertThat(schemas.get("MaxPeers").get("properties").get("mobile").get("maximum").asInt()).isEqualTo(12);
        assertThat(schemas.get("Heartbeat").get("required").valueStream().map(JsonNode::asString))
                .contains("eventId", "ts", "sessionId", "streamId", "cohort", "intervalMs");
        JsonNode timeseries = document.get("paths").get("/api/v1/analytics/timeseries").get("get");
        assertThat(timeseries.get("parameters").valueStream().filter(p -> Set.of("from", "to").contains(
                p.get("name").asString())).map(p -> p.get("required").asBoolean())).containsExactly(true, true);
        assertThat(timeseries.get("parameters").valueStream().filter(p -> p.get("name").asString()
                .equals("granularity")).findFirst().orElseThrow().get("schema").get("enum").valueStream()
                .map(JsonNode::asString)).containsExactly("minute", "hour", "day");
        // The player vocabulary's codes on the parameters that take them, and on no other.
        JsonNode clientConfig = document.get("paths").get("/v1/client-config").get("get");
        assertThat(clientConfig.get("parameters").valueStream().filter(p -> p.get("name").asString()
                .equals("device")).findFirst().orElseThrow().get("schema").get("enum").valueStream()
                .map(JsonNode::asString)).containsExactly("desktop", "mobile", "tv");
        assertThat(clientConfig.get("parameters").valueStream().filter(p -> Set.of("key", "stream", "session")
                .contains(p.get("name").asString())).map(p -> p.get("schema").has("enum")))
                .containsExactly(false, false, false);
        JsonNode telemetry = document.get("paths").get("/v1/telemetry").get("post");
        assertThat(telemetry.get("security").get(0).has("publishableKey")).isTrue();
        assertThat(telemetry.get("requestBody").get("content").get("application/json").get("schema").get("$ref")
                .asString()).isEqualTo("#/components/schemas/TelemetryBatch");
    }

    @Test
    void everyRequestBodyHasAnExample() {
        JsonNode document = new Http(port).get("/v3/api-docs").json();
        JsonNode schemas = document.get("components").get("schemas");
        int bodies = 0;
        for (JsonNode path : document.get("paths")) {
            for (JsonNode operation : path) {
                JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
                if (schema.isMissingNode()) {
                    continue;
                }
                String name = schema.get("$ref").asString().replace("#/components/schemas/", "");
                assertThat(schemas.get(name).has("example")).as(name + " has an example").isTrue();
                assertThat(schemas.get(name).get("example").isObject()).as(name + "'s example is JSON").isTrue();
                bodies++;
            }
        }
        assertThat(bodies).isGreaterThan(10);
    }

    private static String firstDifference(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String was = i < a.length ? a[i] : "(end)";
            String is = i < b.length ? b[i] : "(end)";
            if (!was.equals(is)) {
                return "line " + (i + 1) + ": committed " + was.strip() + ", served " + is.strip();
            }
        }
        return "nowhere";
    }

    /** The document with its keys sorted and indented, as the committed copy is kept. */
    private static String canonical(String json) {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
        return mapper.writeValueAsString(mapper.readValue(json, Object.class)) + "\n";
    }

    @Test
    void theBrowsableUiIsServed() {
        Response response = new Http(port).get("/swagger-ui/index.html");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).containsIgnoringCase("swagger");
    }

    @Test
    void healthProbesAndPrometheusAreExposedAndNothingElse() {
        Http http = new Http(port);

        assertThat(http.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
        Response env = http.get("/actuator/env");
        assertThat(env.status()).isNotEqualTo(200);
        assertThat(env.body()).doesNotContain("propertySources");
    }
}
