package io.meshcp;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The metrics docs/operations.md names are exported on /actuator/prometheus and move with what happens. */
@IntegrationTest
class MetricsTests {

    static final String ORIGIN = "https://player.example.com";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApiKeys apiKeys;

    @Test
    void keyChecksAreCountedByOutcome() {
        Http http = new Http(port);
        Fixtures.Tenant tenant = fixtures.tenant();
        http.post("/api/v1/streams", """
                {"externalId": "metrics", "name": "Metrics", "kind": "LIVE"}""",
                bearer(fixtures.secretKey(tenant.id()).key()));
        IssuedKey key = apiKeys.create(tenant.id(), new NewKey(KeyKind.PUBLISHABLE, "web", List.of(ORIGIN), null),
                Actor.SYSTEM);
        String before = scrape(http);

        assertThat(clientConfig(http, key.key(), ORIGIN)).isEqualTo(200);
        assertThat(clientConfig(http, key.key(), "https://elsewhere.example.net")).isEqualTo(403);
        assertThat(clientConfig(http, "mesh_pk_" + UUID.randomUUID().toString().replace("-", ""), ORIGIN))
                .isEqualTo(401);
        assertThat(clientConfig(http, "not-a-key", ORIGIN)).isEqualTo(401);
        apiKeys.revoke(tenant.id(), key.view().id(), Actor.SYSTEM);
        assertThat(clientConfig(http, key.key(), ORIGIN)).isEqualTo(401);

        String after = scrape(http);
        for (String outcome : List.of("valid", "origin_refused", "unknown", "malformed", "revoked")) {
            String series = "meshcp_keys_checks_total{outcome=\"" + outcome + "\"}";
            assertThat(value(after, series) - value(before, series)).as(series).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void ingestSignalingCachesAndTheDatabasePoolAreExported() {
        Http http = new Http(port);
        // The request timer appears with the first request it times; this test must not depend on others' requests.
        http.get("/v1/ping");
        String metrics = scrape(http);

        assertThat(metrics).contains("meshcp_telemetry_events_stored_total", "meshcp_telemetry_events_rejected_total",
                "meshcp_telemetry_queued_events", "meshcp_telemetry_commits_seconds_count",
                "meshcp_telemetry_refusals_total{reason=\"rate_limited\"}",
                "meshcp_telemetry_refusals_total{reason=\"unavailable\"}", "meshcp_signaling_connections",
                "meshcp_signaling_announces_total", "meshcp_signaling_offers_relayed_total",
                "cache_gets_total{cache=\"policy-streams\"", "cache_gets_total{cache=\"api-keys\"",
                "hikaricp_connections_active", "hikaricp_connections_pending", "http_server_requests_seconds_count");
        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/v1/ping\"");
        // Timing every security filter of every request cost a tenth of ingest's CPU; nothing reads it.
        assertThat(metrics).doesNotContain("spring_security_");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySeriesTheOperatorsAlertingRulesNameIsExported() throws IOException {
        Http http = new Http(port);
        http.get("/v1/ping");
        String metrics = scrape(http);
        String rules = Files.readString(Path.of("docs/prometheus-alerts.yml"));
        // Prometheus' shape: groups of rules, each with a name, an expression, a duration and a summary.
        Map<String, Object> document = new Yaml().load(rules);
        List<Map<String, Object>> alerting = ((List<Map<String, Object>>) document.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
        assertThat(alerting).isNotEmpty().allSatisfy(rule -> assertThat(rule)
                .containsKeys("alert", "expr", "for", "annotations").extractingByKey("for").asString()
                .matches("[0-9]+[smh]"));
        Matcher names = Pattern.compile("\\b((?:meshcp|hikaricp|http_server)_[a-z_]+)\\{").matcher(rules);
        List<String> named = new java.util.ArrayList<>();
        while (names.find()) {
            named.add(names.group(1));
        }
        assertThat(named).contains("meshcp_webhooks_deliveries_total", "meshcp_telemetry_queued_events");
        for (String series : named) {
            assertThat(metrics).as("%s, named in docs/prometheus-alerts.yml", series)
                    .containsPattern("(?m)^" + Pattern.quote(series) + "[{ ]");
        }
    }

    private static int clientConfig(Http http, String key, String origin) {
        return http.get("/v1/client-config?key=" + key + "&stream=metrics", "Origin", origin).status();
    }

    private static String scrape(Http http) {
        Http.Response response = http.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The value of one series in a Prometheus scrape; 0 when it is not there yet. */
    private static double value(String scrape, String series) {
        Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
