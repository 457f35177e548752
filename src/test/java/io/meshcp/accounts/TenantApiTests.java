package io.meshcp.accounts;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

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

/** The organisation's settings through the REST API: the dashboard's Settings, with the same rules and audit. */
@IntegrationTest
class TenantApiTests {

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
        auth = bearer(fixtures.secretKey(tenant.id(), Role.ADMIN).key());
    }

    @Test
    void onlyAnAdminKeyChangesSettingsAsOnlyAnAdminMemberDoes() {
        for (Role role : new Role[] {Role.OPS, Role.VIEWER}) {
            String[] lower = bearer(fixtures.secretKey(tenant.id(), role).key());
            assertThat(http.get("/api/v1/tenant", lower).status()).as(role.name()).isEqualTo(200);
            Response refused = http.patch("/api/v1/tenant", "{\"currency\": \"EUR\"}", lower);
            assertThat(refused.status()).as(role.name()).isEqualTo(403);
            assertThat(refused.json().get("detail").asString()).contains("docs/permissions.md");
        }
        assertThat(http.get("/api/v1/tenant", auth).json().get("currency").asString()).isEqualTo("USD");
    }

    @Test
    void aPatchChangesTheFieldsItNamesKeepsTheOthersAndIsAudited() {
        JsonNode before = http.get("/api/v1/tenant", auth).json();
        Response changed = http.patch("/api/v1/tenant", """
                {"cdnPricePerGb": 0.0125, "currency": "EUR", "defaultAllowedOrigins": ["https://www.example.com"]}""",
                auth);

        assertThat(changed.status()).isEqualTo(200);
        JsonNode after = http.get("/api/v1/tenant", auth).json();
        assertThat(after.get("currency").asString()).isEqualTo("EUR");
        assertThat(after.get("cdnPricePerGb").decimalValue()).isEqualByComparingTo("0.0125");
        assertThat(after.get("defaultAllowedOrigins").get(0).asString()).isEqualTo("https://www.example.com");
        assertThat(after.get("name").asString()).isEqualTo(before.get("name").asString());
        assertThat(after.get("telemetryRetentionDays").asInt()).isEqualTo(before.get("telemetryRetentionDays").asInt());
        assertThat(jdbc.queryForObject("select source || ' ' || (details -> 'after' ->> 'currency') from audit_events "
                + "where tenant_id = ? and type = 'TENANT_SETTINGS_CHANGED'", String.class, tenant.id()))
                .isEqualTo("API EUR");
    }

    @Test
    void severalInvalidSettingsAreNamedInOneAnswer() {
        Response refused = http.patch("/api/v1/tenant", """
                {"currency": "EURO", "cdnPricePerGb": -1, "telemetryRetentionDays": 45, "name": " "}""", auth);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").valueStream().map(error -> error.get("field").asString()))
                .containsExactlyInAnyOrder("name", "cdnPricePerGb", "currency", "telemetryRetentionDays");
        assertThat(http.get("/api/v1/tenant", auth).json().get("currency").asString()).isEqualTo("USD");
    }

    @Test
    void anInvalidSettingIsRefusedNamingItAndChangesNothing() {
        JsonNode before = http.get("/api/v1/tenant", auth).json();
        for (String[] invalid : new String[][] {{"{\"currency\": \"EURO\"}", "currency"},
                {"{\"cdnPricePerGb\": -1}", "cdnPricePerGb"}, {"{\"telemetryRetentionDays\": 45}",
                    "telemetryRetentionDays"}, {"{\"defaultAllowedOrigins\": [\"ftp://x\"]}", "defaultAllowedOrigins"},
                {"{\"cdnPricePerGb\": \"cheap\"}", "cdnPricePerGb"}, {"{\"colour\": \"red\"}", "colour"}}) {
            Response refused = http.patch("/api/v1/tenant", invalid[0], auth);
            assertThat(refused.status()).as(invalid[0]).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("field").asString()).as(invalid[0])
                    .isEqualTo(invalid[1]);
        }
        assertThat(http.get("/api/v1/tenant", auth).json()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from audit_events where tenant_id = ? and type = "
                + "'TENANT_SETTINGS_CHANGED'", Long.class, tenant.id())).isZero();
    }
}
