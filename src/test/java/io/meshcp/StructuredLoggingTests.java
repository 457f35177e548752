package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.meshcp.shared.LogSafe;
import io.meshcp.support.TestDatabaseConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON logs as docs/operations.md describes them: with {@code logging.structured.format.console=ecs} (the variable
 * {@code LOGGING_STRUCTURED_FORMAT_CONSOLE}, which the Helm chart's {@code logging.json} sets) the application
 * writes one Elastic Common Schema object per console line, keys redacted but for a line shown once. The logging
 * system stays so configured in this JVM until the next application starts.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String KEY = "mesh_sk_" + "S".repeat(43);

    @Test
    void withTheEcsFormatEveryConsoleLineIsOneJsonObjectAndTheStartSaysWhereToOpenTheDashboard(
            CapturedOutput output) {
        // Test contexts still open in this JVM mark the logging system initialized, and an application that finds
        // it so leaves it as it is: clear the mark, as a fresh process would have it.
        LoggingSystem.get(MeshControlPlaneApplication.class.getClassLoader()).cleanUp();
        String port;
        try (ConfigurableApplicationContext node = new SpringApplicationBuilder(MeshControlPlaneApplication.class,
                TestDatabaseConfiguration.class).main(MeshControlPlaneApplication.class)
                .run("--logging.structured.format.console=ecs", "--server.port=0", "--meshcp.signaling.port=0",
                        "--meshcp.embedded-postgres.enabled=false")) {
            assertThat(node.isRunning()).isTrue();
            port = node.getEnvironment().getProperty("local.server.port");
            LoggerFactory.getLogger(StructuredLoggingTests.class).warn("GET /v1/client-config?key={}", KEY);
            LoggerFactory.getLogger(StructuredLoggingTests.class).warn(LogSafe.SHOWN_ONCE, "Generated: {}", KEY);
        }
        finally {
            // Spring Boot hands the format to Logback as a system property and never removes it: the next application
            // in this JVM would log JSON too.
            System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
        }

        // Lines another test's application logged before this one reconfigured logging are not its own.
        List<String> lines = Arrays.stream(output.getOut().split("\\R")).dropWhile(line -> !line.startsWith("{"))
                .filter(line -> !line.isBlank()).toList();
        List<JsonNode> events = lines.stream().map(JSON::readTree).toList();
        assertThat(events).as("console lines").hasSizeGreaterThan(10).allSatisfy(event -> {
            assertThat(event.isObject()).isTrue();
            assertThat(Instant.parse(event.get("@timestamp").asString())).isBeforeOrEqualTo(Instant.now());
            assertThat(event.get("log").get("level").asString()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(event.get("log").get("logger").asString()).isNotBlank();
            assertThat(event.get("service").get("name").asString()).isEqualTo("mesh-control-plane");
            assertThat(event.get("message").asString()).isNotBlank();
        });
        JsonNode started = events.stream()
                .filter(event -> event.get("message").asString().startsWith("Started MeshControlPlaneApplication"))
                .findFirst().orElseThrow();
        assertThat(started.get("log").get("level").asString()).isEqualTo("INFO");
        assertThat(started.get("log").get("logger").asString()).isEqualTo(MeshControlPlaneApplication.class.getName());
        // The application was started on this test's thread, whichever of JUnit's threads that is.
        assertThat(started.get("process").get("thread").get("name").asString())
                .isEqualTo(Thread.currentThread().getName());
        assertThat(events).extracting(event -> event.get("message").asString()).contains("Dashboard: open http://"
                + "localhost:" + port + "/ (new here? create your organisation at http://localhost:" + port + "/signup)");
        assertThat(events).filteredOn(event -> event.get("message").asString().contains("mesh_sk_"))
                .extracting(event -> event.get("message").asString())
                .containsExactly("GET /v1/client-config?key=mesh_sk_SSSS…", "Generated: " + KEY);
    }
}
