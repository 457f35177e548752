package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yaml and the nginx configuration it mounts, read as files (there is no Docker engine in CI):
 * two replicas sharing PostgreSQL, Redis and signing keys behind a proxy that routes HTTP and the tracker's
 * WebSockets to both, and finds a recreated replica at its new address. nginx's own syntax check is in
 * CONTRIBUTING.md.
 */
class ComposeFileTests {

    static final Path COMPOSE = Path.of("docker", "compose.yaml");

    static final Path NGINX = Path.of("docker", "nginx.conf");

    static final List<String> REPLICAS = List.of("app-1", "app-2");

    static final List<String> UPSTREAMS = List.of("meshcp_http", "meshcp_signaling");

    Map<String, Object> services;

    String nginx;

    @BeforeEach
    void read() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        services = map(compose.get("services"));
        nginx = Files.readString(NGINX);
    }

    @Test
    void theStackIsPostgresRedisTwoReplicasOfOneImageAndAProxyThatAloneIsPublished() {
        assertThat(services).containsOnlyKeys("postgres", "redis", "app-1", "app-2", "proxy");
        assertThat(service("app-1").get("image")).isEqualTo(service("app-2").get("image"));
        assertThat(service("app-1").get("build")).isEqualTo(service("app-2").get("build"));
        assertThat(environment("app-1")).isEqualTo(environment("app-2"));
        services.forEach((name, service) -> assertThat(map(service).containsKey("ports")).as(name + " ports")
                .isEqualTo(name.equals("proxy")));
        assertThat(service("proxy").get("ports")).isEqualTo(List.of("8080:8080"));
        assertThat(service("proxy").get("volumes")).isEqualTo(List.of("./nginx.conf:/etc/nginx/nginx.conf:ro"));
    }

    @Test
    void theReplicasShareTheDatabaseRedisAndTokenKeysAndAreBootstrappedForTheProxysAddress() {
        Map<String, Object> variables = new LinkedHashMap<>(environment("app-1"));
        // Named like the real one so that Spring maps upper-case, underscored names as it does at run time.
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));

        assertThat(bound(binder, "spring.datasource.url")).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(URI.create(bound(binder, "spring.data.redis.url")).getHost()).isEqualTo("redis");
        assertThat(bound(binder, "meshcp.signaling.token-keys[0].id")).matches("[A-Za-z0-9_-]{1,16}");
        assertThat(bound(binder, "meshcp.signaling.token-keys[0].secret")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(bound(binder, "meshcp.signaling.public-url")).isEqualTo("ws://localhost:8080/v1/signal");
        assertThat(bound(binder, "meshcp.bootstrap.tenant-name")).isNotBlank();
        assertThat(bound(binder, "meshcp.bootstrap.owner-password")).hasSizeGreaterThanOrEqualTo(12);
        assertThat(bound(binder, "meshcp.bootstrap.secret-key")).matches("mesh_sk_[A-Za-z0-9]{32,128}");
        assertThat(bound(binder, "meshcp.bootstrap.publishable-key")).matches("mesh_pk_[A-Za-z0-9]{32,128}");
        assertThat(bound(binder, "meshcp.bootstrap.allowed-origins")).isEqualTo("http://localhost:8080");
    }

    @Test
    void theReplicasLogInAsARoleThatOwnsNothingAndTheOwnerMigrates() throws IOException {
        Map<String, Object> app = environment("app-1");
        Map<String, Object> postgres = environment("postgres");
        String login = app.get("SPRING_DATASOURCE_USERNAME").toString();

        assertThat(app.get("SPRING_FLYWAY_USER")).isEqualTo(postgres.get("POSTGRES_USER")).isNotEqualTo(login);
        assertThat(app.get("SPRING_FLYWAY_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(service("postgres").get("volumes").toString())
                .contains("./postgres-init.sql:/docker-entrypoint-initdb.d/");
        assertThat(Files.readString(Path.of("docker", "postgres-init.sql")))
                .contains("create role " + login + " login noinherit password '"
                        + app.get("SPRING_DATASOURCE_PASSWORD") + "'");
    }

    @Test
    void theSecondReplicaStartsOnceTheFirstIsReadyAndBothOutlastTheirGracefulShutdown() throws IOException {
        assertThat(map(service("app-1").get("depends_on"))).containsOnlyKeys("postgres", "redis");
        assertThat(map(service("app-2").get("depends_on"))).containsOnlyKeys("app-1");
        assertThat(map(map(service("app-2").get("depends_on")).get("app-1")).get("condition"))
                .isEqualTo("service_healthy");
        assertThat(map(service("proxy").get("depends_on"))).containsOnlyKeys(REPLICAS.toArray(String[]::new));
        for (String replica : REPLICAS) {
            assertThat(String.join(" ", strings(map(service(replica).get("healthcheck")).get("test"))))
                    .contains("/actuator/health/readiness");
            assertThat(DurationStyle.detectAndParse((String) service(replica).get("stop_grace_period")))
                    .isGreaterThan(HelmChartTests.longestShutdown());
        }
    }

    @Test
    void theProxySpreadsHttpAndTheTrackersWebSocketsOverEveryReplica() {
        assertThat(servers("meshcp_http")).containsExactlyElementsOf(REPLICAS.stream().map(r -> r + ":8080").toList());
        assertThat(servers("meshcp_signaling"))
                .containsExactlyElementsOf(REPLICAS.stream().map(r -> r + ":8081").toList());
        assertThat(nginx).containsPattern("listen\\s+8080;");

        String signal = location("= /v1/signal");
        assertThat(signal).contains("proxy_pass http://meshcp_signaling;")
                .contains("proxy_http_version 1.1;")
                .contains("proxy_set_header Upgrade $http_upgrade;")
                .contains("proxy_set_header Connection $connection_upgrade;");
        Matcher timeout = Pattern.compile("proxy_read_timeout\\s+(\\d+)s;").matcher(signal);
        assertThat(timeout.find()).isTrue();
        // Longer than the tracker's own idle timeout (120 s), so the tracker, not the proxy, ends quiet sockets.
        assertThat(Duration.ofSeconds(Long.parseLong(timeout.group(1)))).isGreaterThan(Duration.ofSeconds(120));

        assertThat(location("/")).contains("proxy_pass http://meshcp_http;")
                .contains("proxy_set_header Host $http_host;")
                .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
        assertThat(location("/actuator")).contains("return 404;");
    }

    @Test
    void theProxyLooksTheReplicasUpAgainSoThatARecreatedOneIsReachedAtItsNewAddress() {
        // Docker's embedded DNS, whose answers nginx keeps for a few seconds only (valid=).
        assertThat(nginx).containsPattern("(?m)^\\s*resolver\\s+127\\.0\\.0\\.11\\s[^;]*\\bvalid=\\d+s\\b[^;]*;");
        List<String> upstreams = new ArrayList<>();
        Matcher declared = Pattern.compile("upstream\\s+(\\S+)\\s*\\{").matcher(nginx);
        while (declared.find()) {
            upstreams.add(declared.group(1));
        }
        assertThat(upstreams).containsExactlyElementsOf(UPSTREAMS);
        List<String> zones = new ArrayList<>();
        for (String upstream : UPSTREAMS) {
            // Without `resolve` a server's name is looked up once, when nginx starts.
            assertThat(serverDirectives(upstream)).as(upstream).isNotEmpty()
                    .allSatisfy(server -> assertThat(server.split("\\s+")).as(server).contains("resolve"));
            // Servers whose addresses change at run time must live in shared memory.
            Matcher zone = Pattern.compile("(?m)^\\s*zone\\s+(\\S+)\\s+\\d+[kKmM];").matcher(upstream(upstream));
            assertThat(zone.find()).as(upstream + " zone").isTrue();
            zones.add(zone.group(1));
        }
        assertThat(zones).as("one zone per upstream").doesNotHaveDuplicates();
        assertThat(upstream("meshcp_http")).containsPattern("keepalive\\s+32;");
        // `resolve` on an upstream server is in open-source nginx since 1.27.3.
        String image = String.valueOf(service("proxy").get("image"));
        Matcher tag = Pattern.compile("nginx:(\\d+)\\.(\\d+)(?:\\.(\\d+))?-alpine").matcher(image);
        assertThat(tag.matches()).as("proxy image " + image).isTrue();
        // A tag without a patch version is the newest release of its branch.
        int[] release = {Integer.parseInt(tag.group(1)), Integer.parseInt(tag.group(2)),
                tag.group(3) == null ? Integer.MAX_VALUE : Integer.parseInt(tag.group(3))};
        assertThat(Arrays.compare(release, new int[] {1, 27, 3})).as(image + " is nginx 1.27.3 or later")
                .isNotNegative();
    }

    private String upstream(String name) {
        Matcher block = Pattern.compile("upstream\\s+" + name + "\\s*\\{([^}]*)}").matcher(nginx);
        assertThat(block.find()).as("upstream " + name).isTrue();
        return block.group(1);
    }

    /** Each {@code server} directive of an upstream, as written without its semicolon. */
    private List<String> serverDirectives(String upstream) {
        List<String> servers = new ArrayList<>();
        Matcher server = Pattern.compile("(?m)^\\s*(server\\s+[^;]+);").matcher(upstream(upstream));
        while (server.find()) {
            servers.add(server.group(1).trim());
        }
        return servers;
    }

    /** The addresses an upstream sends to. */
    private List<String> servers(String upstream) {
        return serverDirectives(upstream).stream().map(server -> server.split("\\s+")[1]).toList();
    }

    private String location(String match) {
        Matcher block = Pattern.compile("location\\s+" + Pattern.quote(match) + "\\s*\\{([^}]*)}").matcher(nginx);
        assertThat(block.find()).as("location " + match).isTrue();
        return block.group(1).replaceAll("\\s+", " ");
    }

    private Map<String, Object> service(String name) {
        return map(services.get(name));
    }

    private Map<String, Object> environment(String service) {
        return map(service(service).get("environment"));
    }

    private static String bound(Binder binder, String property) {
        return binder.bind(property, String.class).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object yaml) {
        assertThat(yaml).isInstanceOf(List.class);
        return (List<String>) yaml;
    }
}
