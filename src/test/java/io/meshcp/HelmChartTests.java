package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart under helm/mesh-control-plane, linted and rendered by Helm itself (helm-java), with the
 * rendered manifests checked for what running the application in Kubernetes depends on.
 */
class HelmChartTests {

    static final Path CHART = Path.of("helm", "mesh-control-plane");

    // Helm's library renders for Kubernetes 1.20 unless told otherwise; the chart needs 1.23 or later.
    static final String KUBERNETES_VERSION = "1.33.0";

    static final String MINIMAL_VALUES = """
            database:
              url: jdbc:postgresql://postgres:5432/meshcp
            """;

    static final String PRODUCTION_VALUES = """
            image:
              repository: registry.example.com/mesh-control-plane
              tag: "1.2.3"
            ingress:
              enabled: true
              hosts: [meshcp.example.com]
              tls:
                - secretName: meshcp-tls
                  hosts: [meshcp.example.com]
            autoscaling:
              enabled: true
              minReplicas: 3
              maxReplicas: 12
              targetCPUUtilizationPercentage: 65
            serviceMonitor:
              enabled: true
              labels:
                release: kube-prometheus-stack
            existingSecret: meshcp-secrets
            database:
              url: jdbc:postgresql://postgres.db:5432/meshcp
              username: meshcp_app
              owner:
                username: meshcp
            redis:
              enabled: true
            bootstrap:
              tenantName: Acme Video
              ownerEmail: ops@acme.example
            signaling:
              tokenKeys:
                - id: k2
                - id: k1
            """;

    static final String SHARED_TOKEN_KEY = """
            signaling:
              tokenKeys: [{id: k1, secret: token-signing-secret-0123456789abcdef}]
            """;

    static final Pattern SECRET_VARIABLE = Pattern.compile("PASSWORD|SECRET|_KEY$|REDIS_URL");

    @TempDir
    Path temp;

    @Test
    void theChartPassesStrictLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void theChartPassesStrictLintWithProductionValues() throws IOException {
        // The defaults leave the Ingress, the autoscaler and the ServiceMonitor out; these values lint them too.
        LintResult lint = new Helm(chartWithValues(PRODUCTION_VALUES)).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict with production values: %s", lint.getMessages())
                .isFalse();
    }

    @Test
    void renderingWithoutADatabaseUrlFailsAndSaysWhichValueIsMissing() {
        assertThatThrownBy(() -> render("{}")).hasMessageContaining("database.url is required");
    }

    @Test
    void defaultsRenderOneReplicaWithoutIngressAutoscalerOrServiceMonitor() throws IOException {
        Manifests manifests = render(MINIMAL_VALUES);

        assertThat(manifests.kinds()).containsExactlyInAnyOrder("ServiceAccount", "Service", "Deployment",
                "PodDisruptionBudget");
        assertThat(manifests.one("Deployment").get("spec").get("replicas").value()).isEqualTo(1);
    }

    @Test
    void probesUseTheActuatorHealthGroupsOnTheHttpPort() throws IOException {
        Node container = render(MINIMAL_VALUES).container();

        assertThat(probe(container, "startupProbe")).isEqualTo("http /actuator/health/liveness");
        assertThat(probe(container, "livenessProbe")).isEqualTo("http /actuator/health/liveness");
        assertThat(probe(container, "readinessProbe")).isEqualTo("http /actuator/health/readiness");
        // Flyway migrates before the application is live: the startup probe must allow for it.
        Node startup = container.get("startupProbe");
        assertThat(startup.get("periodSeconds").integer() * startup.get("failureThreshold").integer())
                .isGreaterThanOrEqualTo(120);
    }

    @Test
    void theContainerPortsAreTheOnesTheApplicationListensOn() throws IOException {
        Node container = render(MINIMAL_VALUES).container();
        Map<String, Object> ports = new LinkedHashMap<>();
        container.get("ports").items()
                .forEach(port -> ports.put(port.get("name").text(), port.get("containerPort").value()));
        Map<String, Node> env = env(container);

        assertThat(ports).containsExactly(Map.entry("http", 8080), Map.entry("signaling", 8081));
        assertThat(env.get("SERVER_PORT").get("value").text()).isEqualTo("8080");
        assertThat(env.get("MESHCP_SIGNALING_PORT").get("value").text()).isEqualTo("8081");
    }

    @Test
    void theContainerRequestsAndLimitsCpuAndMemory() throws IOException {
        Node resources = render(MINIMAL_VALUES).container().get("resources");

        for (String bound : List.of("requests", "limits")) {
            assertThat(resources.get(bound).get("cpu").text()).as(bound).isNotBlank();
            assertThat(resources.get(bound).get("memory").text()).as(bound).isNotBlank();
        }
    }

    @Test
    void thePodRunsAsTheImagesUserWithNothingWritableButTmp() throws IOException {
        Manifests manifests = render(MINIMAL_VALUES);
        Node pod = manifests.pod();
        Node container = manifests.container();
        Node podSecurity = pod.get("securityContext");
        Node containerSecurity = container.get("securityContext");

        assertThat(podSecurity.get("runAsNonRoot").value()).isEqualTo(true);
        assertThat(podSecurity.get("runAsUser").value()).isEqualTo(dockerfileUser());
        assertThat(podSecurity.get("runAsGroup").value()).isEqualTo(dockerfileGroup());
        assertThat(podSecurity.get("seccompProfile").get("type").text()).isEqualTo("RuntimeDefault");
        assertThat(containerSecurity.get("allowPrivilegeEscalation").value()).isEqualTo(false);
        assertThat(containerSecurity.get("readOnlyRootFilesystem").value()).isEqualTo(true);
        assertThat(containerSecurity.get("capabilities").get("drop").value()).isEqualTo(List.of("ALL"));
        assertThat(pod.get("automountServiceAccountToken").value()).isEqualTo(false);

        Node tmpMount = container.get("volumeMounts").items().stream()
                .filter(mount -> "/tmp".equals(mount.get("mountPath").text())).findFirst().orElseThrow();
        Node tmpVolume = pod.get("volumes").items().stream()
                .filter(volume -> volume.get("name").text().equals(tmpMount.get("name").text()))
                .findFirst().orElseThrow();
        assertThat(tmpVolume.get("emptyDir").exists()).isTrue();
    }

    @Test
    void theHeapLeavesRoomUnderTheMemoryLimitForWhatTheJvmKeepsOutsideIt() throws IOException {
        long limit = bytes(render(MINIMAL_VALUES).container().get("resources").get("limits").get("memory").text());
        List<String> java = dockerfileEntrypoint();
        Matcher heap = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(String.join(" ", java));
        assertThat(heap.find()).as("MaxRAMPercentage in the Dockerfile's ENTRYPOINT %s", java).isTrue();
        long outsideHeap = limit - (long) (limit * Double.parseDouble(heap.group(1)) / 100);

        // A budget, not a measurement: Netty's and Tomcat's direct buffers, metaspace and code cache of an application
        // this size, thread stacks and the collector's structures. Above the limit the kernel kills the container.
        assertThat(outsideHeap).as("bytes outside the heap").isGreaterThanOrEqualTo(384L << 20);
        // Out of heap, the JVM exits and is restarted rather than serving on in an unknown state.
        assertThat(java).contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void aStoppingPodOutlastsTheLoadBalancerAndTheApplicationsGracefulShutdown() throws IOException {
        Manifests manifests = render(MINIMAL_VALUES);
        List<?> preStop = (List<?>) manifests.container().get("lifecycle").get("preStop").get("exec").get("command")
                .value();
        int grace = manifests.pod().get("terminationGracePeriodSeconds").integer();

        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        long sleep = Long.parseLong(String.valueOf(preStop.get(1)));
        assertThat(sleep).isPositive();
        assertThat(Duration.ofSeconds(grace)).isGreaterThan(Duration.ofSeconds(sleep).plus(longestShutdown()));
    }

    @Test
    void aRollingUpdateStopsAnOldPodOnlyOnceTheNewOneHasBeenReadyForAWhile() throws IOException {
        Node spec = render(MINIMAL_VALUES).one("Deployment").get("spec");

        assertThat(spec.get("strategy").get("rollingUpdate").get("maxUnavailable").integer()).isZero();
        assertThat(spec.get("strategy").get("rollingUpdate").get("maxSurge").integer()).isEqualTo(1);
        assertThat(spec.get("minReadySeconds").integer()).isEqualTo(30);
    }

    @Test
    void theServiceExposesHttpAndSignalingByPortName() throws IOException {
        Manifests manifests = render(MINIMAL_VALUES);
        Map<String, String> targets = new LinkedHashMap<>();
        manifests.one("Service").get("spec").get("ports").items()
                .forEach(port -> targets.put(port.get("name").text(), port.get("targetPort").text()));

        assertThat(targets).containsExactly(Map.entry("http", "http"), Map.entry("signaling", "signaling"));
        assertThat(manifests.one("Service").get("spec").get("selector").value())
                .isEqualTo(manifests.one("Deployment").get("spec").get("selector").get("matchLabels").value());
    }

    @Test
    void theIngressSendsTheTrackerToTheSignalingPortAndKeepsItsSocketsOpen() throws IOException {
        Manifests manifests = render(PRODUCTION_VALUES);
        Node ingress = manifests.one("Ingress");
        Node annotations = ingress.get("metadata").get("annotations");
        Map<String, String> routes = new LinkedHashMap<>();
        ingress.get("spec").get("rules").get(0).get("http").get("paths").items().forEach(path -> routes.put(
                path.get("path").text(), path.get("backend").get("service").get("port").get("name").text()));

        assertThat(ingress.get("spec").get("rules").get(0).get("host").text()).isEqualTo("meshcp.example.com");
        // The tracker's port answers 404 to anything but /v1/signal: that keeps the actuator off the Internet.
        assertThat(routes).containsExactlyInAnyOrderEntriesOf(
                Map.of("/v1/signal", "signaling", "/actuator", "signaling", "/", "http"));
        // Longer than the tracker's own idle timeout (120 s), so the tracker, not the proxy, ends quiet sockets.
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/" + timeout).text()))
                    .as(timeout).isGreaterThan(120);
        }
        assertThat(env(manifests.container()).get("MESHCP_SIGNALING_PUBLIC_URL").get("value").text())
                .isEqualTo("wss://meshcp.example.com/v1/signal");
    }

    @Test
    void theIngressPinsBrowsersToAPodOnlyWithoutRedis() throws IOException {
        Node withRedis = render(PRODUCTION_VALUES).one("Ingress").get("metadata").get("annotations");
        Node withoutRedis = render(PRODUCTION_VALUES, "redis: {enabled: false}\n").one("Ingress").get("metadata")
                .get("annotations");

        // With Redis, sessions and swarms are shared: affinity would only keep new pods idle.
        assertThat(withRedis.strings()).doesNotContainKeys("nginx.ingress.kubernetes.io/affinity",
                "nginx.ingress.kubernetes.io/session-cookie-name");
        // Without it, a dashboard session lives in the memory of the pod that made it.
        assertThat(withoutRedis.get("nginx.ingress.kubernetes.io/affinity").text()).isEqualTo("cookie");
        assertThat(withoutRedis.get("nginx.ingress.kubernetes.io/session-cookie-name").text())
                .isEqualTo("meshcp-route");
        // The WebSocket timeouts do not depend on Redis.
        assertThat(withRedis.get("nginx.ingress.kubernetes.io/proxy-read-timeout").text())
                .isEqualTo(withoutRedis.get("nginx.ingress.kubernetes.io/proxy-read-timeout").text());
    }

    @Test
    void annotationsGivenInValuesWinOverTheCharts() throws IOException {
        Node annotations = render(PRODUCTION_VALUES, """
                redis: {enabled: false}
                ingress:
                  annotations:
                    nginx.ingress.kubernetes.io/affinity: none
                    nginx.ingress.kubernetes.io/proxy-read-timeout: "600"
                    cert-manager.io/cluster-issuer: letsencrypt
                """).one("Ingress").get("metadata").get("annotations");

        assertThat(annotations.get("nginx.ingress.kubernetes.io/affinity").text()).isEqualTo("none");
        assertThat(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout").text()).isEqualTo("600");
        assertThat(annotations.get("cert-manager.io/cluster-issuer").text()).isEqualTo("letsencrypt");
    }

    @Test
    void autoscalingScalesTheDeploymentOnCpuInsteadOfAFixedReplicaCount() throws IOException {
        Manifests manifests = render(PRODUCTION_VALUES);
        Node deployment = manifests.one("Deployment");
        Node hpa = manifests.one("HorizontalPodAutoscaler");
        Node metric = hpa.get("spec").get("metrics").get(0);

        assertThat(hpa.get("apiVersion").text()).isEqualTo("autoscaling/v2");
        assertThat(hpa.get("spec").get("scaleTargetRef").get("kind").text()).isEqualTo("Deployment");
        assertThat(hpa.get("spec").get("scaleTargetRef").get("name").text())
                .isEqualTo(deployment.get("metadata").get("name").text());
        assertThat(hpa.get("spec").get("minReplicas").value()).isEqualTo(3);
        assertThat(hpa.get("spec").get("maxReplicas").value()).isEqualTo(12);
        assertThat(metric.get("resource").get("name").text()).isEqualTo("cpu");
        assertThat(metric.get("resource").get("target").get("averageUtilization").value()).isEqualTo(65);
        assertThat(deployment.get("spec").get("replicas").exists()).isFalse();
    }

    @Test
    void aDisruptionBudgetLetsOnlyOnePodOfTheReleaseGoAtATime() throws IOException {
        Manifests manifests = render(PRODUCTION_VALUES);
        Node pdb = manifests.one("PodDisruptionBudget");

        assertThat(pdb.get("apiVersion").text()).isEqualTo("policy/v1");
        assertThat(pdb.get("spec").get("maxUnavailable").value()).isEqualTo(1);
        assertThat(pdb.get("spec").get("selector").get("matchLabels").value())
                .isEqualTo(manifests.one("Deployment").get("spec").get("selector").get("matchLabels").value());
    }

    @Test
    void anExistingSecretIsReferencedKeyByKeyAndTheChartMakesNone() throws IOException {
        Manifests manifests = render(PRODUCTION_VALUES);
        Map<String, Node> env = env(manifests.container());

        assertThat(manifests.kinds()).doesNotContain("Secret");
        assertThat(secretRefs(env)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SPRING_DATASOURCE_PASSWORD", "meshcp-secrets/database-password",
                "SPRING_FLYWAY_PASSWORD", "meshcp-secrets/database-owner-password",
                "SPRING_DATA_REDIS_URL", "meshcp-secrets/redis-url",
                "MESHCP_SIGNALING_TOKENKEYS_0_SECRET", "meshcp-secrets/signaling-token-key-k2",
                "MESHCP_SIGNALING_TOKENKEYS_1_SECRET", "meshcp-secrets/signaling-token-key-k1",
                "MESHCP_BOOTSTRAP_OWNER_PASSWORD", "meshcp-secrets/bootstrap-owner-password",
                "MESHCP_BOOTSTRAP_SECRET_KEY", "meshcp-secrets/bootstrap-secret-key",
                "MESHCP_BOOTSTRAP_PUBLISHABLE_KEY", "meshcp-secrets/bootstrap-publishable-key"));
        assertThat(env.get("MESHCP_SIGNALING_TOKENKEYS_0_ID").get("value").text()).isEqualTo("k2");
    }

    @Test
    void secretValuesGoIntoTheChartsSecretAndNeverIntoThePodSpec() throws IOException {
        Map<String, String> secrets = Map.of(
                "database-password", "db-password-3f9a1c",
                "database-owner-password", "db-owner-password-9c1e",
                "redis-url", "rediss://:redis-password-77b2@redis:6379",
                "bootstrap-owner-password", "owner-passphrase-5e0d",
                "bootstrap-secret-key", "mesh_sk_" + "a".repeat(32),
                "bootstrap-publishable-key", "mesh_pk_" + "b".repeat(32),
                "signaling-token-key-k1", "token-signing-secret-0123456789abcdef");
        Manifests manifests = render("""
                database: {url: "jdbc:postgresql://postgres:5432/meshcp", username: meshcp_app, password: %s,
                  owner: {username: meshcp, password: %s}}
                redis: {enabled: true, url: "%s"}
                bootstrap: {tenantName: Demo, ownerPassword: %s, secretKey: %s, publishableKey: %s}
                signaling: {tokenKeys: [{id: k1, secret: %s}]}
                """.formatted(secrets.get("database-password"), secrets.get("database-owner-password"),
                secrets.get("redis-url"),
                secrets.get("bootstrap-owner-password"), secrets.get("bootstrap-secret-key"),
                secrets.get("bootstrap-publishable-key"), secrets.get("signaling-token-key-k1")));
        Node secret = manifests.one("Secret");
        String secretName = secret.get("metadata").get("name").text();
        Map<String, Node> env = env(manifests.container());

        assertThat(secret.get("stringData").value()).isEqualTo(secrets);
        assertThat(secretRefs(env).values()).containsExactlyInAnyOrderElementsOf(
                        secrets.keySet().stream().map(key -> secretName + "/" + key).toList());
        String deployment = new Yaml().dump(manifests.one("Deployment").value());
        assertThat(secrets.values()).allSatisfy(value -> assertThat(deployment).doesNotContain(value));
        // Pods read the Secret only when they start, so a changed value must change the pod template.
        assertThat(manifests.one("Deployment").get("spec").get("template").get("metadata").get("annotations")
                .get("checksum/secret").text()).isNotBlank();
    }

    @Test
    void redisIsLeftOutUntilConfigured() throws IOException {
        assertThat(env(render(MINIMAL_VALUES).container())).doesNotContainKey("SPRING_DATA_REDIS_URL");
        assertThat(env(render(PRODUCTION_VALUES).container())).containsKey("SPRING_DATA_REDIS_URL");
    }

    @Test
    void theEnvironmentReachesTheApplicationsProperties() throws IOException {
        Binder binder = binder(render(PRODUCTION_VALUES).container());

        assertThat(bound(binder, "spring.datasource.url")).isEqualTo("jdbc:postgresql://postgres.db:5432/meshcp");
        assertThat(bound(binder, "spring.datasource.username")).isEqualTo("meshcp_app");
        assertThat(bound(binder, "spring.datasource.password")).isEqualTo("from-secret");
        assertThat(bound(binder, "spring.flyway.user")).isEqualTo("meshcp");
        assertThat(bound(binder, "spring.flyway.password")).isEqualTo("from-secret");
        assertThat(bound(binder, "spring.data.redis.url")).isEqualTo("from-secret");
        assertThat(bound(binder, "server.port")).isEqualTo("8080");
        assertThat(bound(binder, "meshcp.signaling.port")).isEqualTo("8081");
        assertThat(bound(binder, "meshcp.signaling.public-url")).isEqualTo("wss://meshcp.example.com/v1/signal");
        assertThat(bound(binder, "meshcp.http.public-hosts")).isEqualTo("meshcp.example.com");
        assertThat(bound(binder, "meshcp.signaling.token-keys[0].id")).isEqualTo("k2");
        assertThat(bound(binder, "meshcp.signaling.token-keys[0].secret")).isEqualTo("from-secret");
        assertThat(bound(binder, "meshcp.signaling.token-keys[1].id")).isEqualTo("k1");
        assertThat(bound(binder, "meshcp.bootstrap.tenant-name")).isEqualTo("Acme Video");
        assertThat(bound(binder, "meshcp.bootstrap.owner-email")).isEqualTo("ops@acme.example");
        assertThat(bound(binder, "meshcp.bootstrap.secret-key")).isEqualTo("from-secret");
        assertThat(bound(binder, "server.servlet.session.cookie.secure")).isEqualTo("true");
    }

    @Test
    void jsonLogsAreOffByDefaultAndTurnOnTheEcsConsoleFormat() throws IOException {
        assertThat(bound(binder(render(MINIMAL_VALUES).container()), "logging.structured.format.console")).isNull();

        Binder binder = binder(render(MINIMAL_VALUES + "logging: {json: true}\n").container());
        assertThat(bound(binder, "logging.structured.format.console")).isEqualTo("ecs");
    }

    @Test
    void theServiceMonitorScrapesPrometheusOnlyWhenEnabled() throws IOException {
        assertThat(render(MINIMAL_VALUES).kinds()).doesNotContain("ServiceMonitor");

        Manifests manifests = render(PRODUCTION_VALUES);
        Node monitor = manifests.one("ServiceMonitor");
        Node endpoint = monitor.get("spec").get("endpoints").get(0);

        assertThat(monitor.get("apiVersion").text()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.get("metadata").get("labels").get("release").text()).isEqualTo("kube-prometheus-stack");
        assertThat(endpoint.get("port").text()).isEqualTo("http");
        assertThat(endpoint.get("path").text()).isEqualTo("/actuator/prometheus");
        assertThat(manifests.one("Service").get("metadata").get("labels").strings())
                .containsAllEntriesOf(monitor.get("spec").get("selector").get("matchLabels").strings());
    }

    @Test
    void severalPodsWithoutSharedTokenKeysAreRefused() {
        assertThatThrownBy(() -> render(MINIMAL_VALUES + "replicaCount: 2\n"))
                .hasMessageContaining("signaling.tokenKeys is required");
        assertThatThrownBy(() -> render(MINIMAL_VALUES + "autoscaling: {enabled: true}\n"))
                .hasMessageContaining("signaling.tokenKeys is required");
    }

    @Test
    void theNotesSaySeveralReplicasWithRedisRunAsOne() throws IOException {
        String notes = notes(PRODUCTION_VALUES);

        assertThat(notes).contains("viewers connected to different pods are paired with each other")
                .doesNotContain("WARNING")
                .doesNotContainIgnoringCase("not swarms yet")
                .doesNotContainIgnoringCase("only paired with viewers connected to the same pod");
    }

    @Test
    void theNotesWarnAboutSeveralReplicasWithoutRedis() throws IOException {
        String withoutRedis = MINIMAL_VALUES + SHARED_TOKEN_KEY;

        assertThat(notes(withoutRedis + "replicaCount: 3\n"))
                .contains("WARNING: several replicas without redis.enabled")
                .contains("only paired with viewers connected to the same pod");
        assertThat(notes(withoutRedis + "autoscaling: {enabled: true}\n"))
                .contains("WARNING: several replicas without redis.enabled");
        assertThat(notes(PRODUCTION_VALUES, "redis: {enabled: false}\n"))
                .contains("WARNING: several replicas without redis.enabled");
        assertThat(notes(MINIMAL_VALUES)).as("one replica").doesNotContain("WARNING");
    }

    @Test
    void aTokenKeyTheApplicationWouldRejectStopsTheRender() {
        assertThatThrownBy(() -> render(MINIMAL_VALUES + "signaling: {tokenKeys: [{id: k1, secret: too-short}]}\n"))
                .hasMessageContaining("at least 32 characters");
        assertThatThrownBy(() -> render(MINIMAL_VALUES
                + "signaling: {tokenKeys: [{id: 'key one', secret: 0123456789abcdef0123456789abcdef}]}\n"))
                .hasMessageContaining("1..16 of [A-Za-z0-9_-]");
    }

    /** The manifests rendered with these values, later ones winning as with several {@code -f} files. */
    Manifests render(String... values) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("meshcp").withKubeVersion(KUBERNETES_VERSION);
        for (String layer : values) {
            template.withValuesFile(valuesFile(layer));
        }
        return new Manifests(StreamSupport.stream(new Yaml().loadAll(template.call()).spliterator(), false)
                .filter(Map.class::isInstance).map(Node::new).toList());
    }

    /**
     * The notes {@code helm install} prints, rendered client-side (a dry run that never reaches a cluster), with
     * each run of white space made one space so that line breaks do not matter.
     */
    String notes(String... values) throws IOException {
        InstallCommand install = new Helm(CHART).install().withName("meshcp").withNamespace("video")
                .withKubeVersion(KUBERNETES_VERSION).dryRun().clientOnly();
        for (String layer : values) {
            install.withValuesFile(valuesFile(layer));
        }
        String output = install.call().getOutput();
        assertThat(output).as("helm install output").contains("NOTES:");
        return output.substring(output.indexOf("NOTES:")).replaceAll("\\s+", " ");
    }

    /**
     * A copy of the chart whose values.yaml has these values merged over its own, as {@code -f} would: helm-java's
     * lint takes no values file.
     */
    Path chartWithValues(String values) throws IOException {
        Path copy = Files.createTempDirectory(temp, "chart").resolve(CHART.getFileName());
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(CHART.relativize(file).toString()));
            }
        }
        Map<String, Object> merged = merged(new Yaml().load(Files.readString(CHART.resolve("values.yaml"))),
                new Yaml().load(values));
        Files.writeString(copy.resolve("values.yaml"), new Yaml().dump(merged));
        return copy;
    }

    /** Helm's merge of values: maps merge key by key; the rest of {@code over} replaces what {@code base} has. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        over.forEach((key, value) -> merged.merge(key, value, (mine, theirs) ->
                mine instanceof Map<?, ?> && theirs instanceof Map<?, ?>
                        ? merged((Map<String, Object>) mine, (Map<String, Object>) theirs)
                        : theirs));
        return merged;
    }

    Path valuesFile(String values) throws IOException {
        Path valuesFile = Files.createTempFile(temp, "values", ".yaml");
        Files.writeString(valuesFile, values);
        return valuesFile;
    }

    static String probe(Node container, String probe) {
        Node httpGet = container.get(probe).get("httpGet");
        return httpGet.get("port").text() + " " + httpGet.get("path").text();
    }

    static Map<String, Node> env(Node container) {
        Map<String, Node> env = new LinkedHashMap<>();
        for (Node variable : container.get("env").items()) {
            String name = variable.get("name").text();
            assertThat(env.put(name, variable)).as("%s defined twice", name).isNull();
        }
        return env;
    }

    /** Variables read from a Secret, as "secret/key"; every variable that carries a secret must be one. */
    static Map<String, String> secretRefs(Map<String, Node> env) {
        Map<String, String> refs = new LinkedHashMap<>();
        env.forEach((name, variable) -> {
            Node ref = variable.get("valueFrom").get("secretKeyRef");
            if (SECRET_VARIABLE.matcher(name).find()) {
                assertThat(variable.get("value").exists()).as("%s in plain text", name).isFalse();
                assertThat(ref.exists()).as("%s from a Secret", name).isTrue();
            }
            if (ref.exists()) {
                refs.put(name, ref.get("name").text() + "/" + ref.get("key").text());
            }
        });
        return refs;
    }

    /** Binds the container's environment as Spring does at run time; values from a Secret read "from-secret". */
    static Binder binder(Node container) {
        Map<String, Object> variables = new LinkedHashMap<>();
        env(container).forEach((name, variable) -> variables.put(name,
                variable.get("value").exists() ? variable.get("value").text() : "from-secret"));
        // Named like the real one so that Spring maps upper-case, underscored names as it does at run time.
        return new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
    }

    static String bound(Binder binder, String property) {
        return binder.bind(property, String.class).orElse(null);
    }

    static int dockerfileUser() throws IOException {
        return Integer.parseInt(dockerfileUserLine().group(1));
    }

    /** The group of the Dockerfile's USER, which must be the one its groupadd makes with a fixed id. */
    static int dockerfileGroup() throws IOException {
        String group = dockerfileUserLine().group(2);
        assertThat(group).as("USER <uid>:<gid> in docker/Dockerfile").isNotNull();
        Matcher groupadd = Pattern.compile("groupadd\\s[^&]*--gid\\s+(\\d+)").matcher(dockerfile());
        assertThat(groupadd.find()).as("groupadd --gid in docker/Dockerfile").isTrue();
        assertThat(groupadd.group(1)).as("the group groupadd makes").isEqualTo(group);
        return Integer.parseInt(group);
    }

    static Matcher dockerfileUserLine() throws IOException {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$").matcher(dockerfile());
        assertThat(user.find()).as("a numeric USER in docker/Dockerfile").isTrue();
        return user;
    }

    /** The exec form of the Dockerfile's ENTRYPOINT: the java command line the container starts with. */
    static List<String> dockerfileEntrypoint() throws IOException {
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile());
        assertThat(entrypoint.find()).as("an exec-form ENTRYPOINT in docker/Dockerfile").isTrue();
        List<String> command = new Yaml().load(entrypoint.group(1));
        assertThat(command).first().isEqualTo("java");
        return command;
    }

    static String dockerfile() throws IOException {
        return Files.readString(Path.of("docker", "Dockerfile"));
    }

    /** A Kubernetes memory quantity in bytes (binary suffixes, as the chart uses). */
    static long bytes(String quantity) {
        Matcher parts = Pattern.compile("(\\d+)(Ki|Mi|Gi)?").matcher(quantity);
        assertThat(parts.matches()).as("memory quantity %s", quantity).isTrue();
        int shift = switch (String.valueOf(parts.group(2))) {
            case "Ki" -> 10;
            case "Mi" -> 20;
            case "Gi" -> 30;
            default -> 0;
        };
        return Long.parseLong(parts.group(1)) << shift;
    }

    /**
     * The longest the application's shutdown can take: the sum of its bounded waits (docs/operations.md, Shutdown).
     * Spring stops one lifecycle phase after another, and within a phase runs each stop() to its own bounds before it
     * waits, at most timeout-per-shutdown-phase, for the stops that finish in the background (Tomcat's drain); so the
     * waits add up. Change a number here with the code it names.
     */
    static Duration longestShutdown() throws IOException {
        // SignalingServer.stop: closing the listening socket (5 s); sending the going-away close, letting peers
        // close and cutting the rest (2 s each); each of the two event-loop groups finishing (10 s each).
        Duration tracker = Duration.ofSeconds(5 + 3 * 2 + 2 * 10);
        // TelemetryWriter.stop: every writer joined within meshcp.telemetry.commit-timeout (TelemetryProperties, 10s).
        Duration telemetryWriters = Duration.ofSeconds(10);
        // RedisSwarms.stop, with Redis: the refresh thread (5 s), then the removals in flight (2 s).
        Duration redisSwarms = Duration.ofSeconds(5 + 2);
        // Tomcat's graceful drain of in-flight requests: spring.lifecycle.timeout-per-shutdown-phase (application.yml).
        Duration httpDrain = shutdownPhaseTimeout();
        return tracker.plus(telemetryWriters).plus(redisSwarms).plus(httpDrain);
    }

    static Duration shutdownPhaseTimeout() throws IOException {
        Path applicationYml = Path.of("src", "main", "resources", "application.yml");
        Node config = new Node(new Yaml().load(Files.readString(applicationYml)));
        String timeout = config.get("spring").get("lifecycle").get("timeout-per-shutdown-phase").text();
        assertThat(timeout).as("spring.lifecycle.timeout-per-shutdown-phase in application.yml").isNotNull();
        return DurationStyle.detectAndParse(timeout);
    }

    /** The rendered documents. */
    record Manifests(List<Node> documents) {

        List<String> kinds() {
            return documents.stream().map(document -> document.get("kind").text()).toList();
        }

        Node one(String kind) {
            List<Node> ofKind = documents.stream()
                    .filter(document -> kind.equals(document.get("kind").text())).toList();
            assertThat(ofKind).as("rendered %s", kind).hasSize(1);
            return ofKind.get(0);
        }

        Node pod() {
            return one("Deployment").get("spec").get("template").get("spec");
        }

        Node container() {
            List<Node> containers = pod().get("containers").items();
            assertThat(containers).hasSize(1);
            return containers.get(0);
        }
    }

    /** A position in parsed YAML; a missing key gives an empty node rather than an exception. */
    record Node(Object value) {

        Node get(String key) {
            return new Node(value instanceof Map<?, ?> map ? map.get(key) : null);
        }

        Node get(int index) {
            return new Node(value instanceof List<?> list && index < list.size() ? list.get(index) : null);
        }

        List<Node> items() {
            return value instanceof List<?> list ? list.stream().map(Node::new).toList() : List.of();
        }

        Map<String, String> strings() {
            Map<String, String> strings = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> map) {
                map.forEach((key, item) -> strings.put(String.valueOf(key), String.valueOf(item)));
            }
            return strings;
        }

        boolean exists() {
            return value != null;
        }

        String text() {
            return value == null ? null : String.valueOf(value);
        }

        int integer() {
            assertThat(value).isInstanceOf(Integer.class);
            return (Integer) value;
        }
    }
}
