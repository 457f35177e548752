package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

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
