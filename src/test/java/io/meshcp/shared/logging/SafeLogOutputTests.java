package io.meshcp.shared.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.meshcp.shared.LogSafe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application's {@code logback-spring.xml} in a logger context of its own (the application's is left alone), with
 * the properties Spring Boot sets from {@code logging.*}: the plain console format, each structured one, a log file.
 */
@ExtendWith(OutputCaptureExtension.class)
class SafeLogOutputTests {

    static final String KEY = "mesh_sk_" + "K".repeat(43);

    static final String FORGED_LINE = "2026-12-06T10:00:00.000Z  INFO 1 --- [main] io.meshcp.accounts : forged";

    static final String FORGED = "x\r\n" + FORGED_LINE;

    static final JsonMapper JSON = JsonMapper.builder().build();

    final LoggerContext context = new LoggerContext();

    /** Logback reports a failure to configure or to write as a status, not as an exception. */
    @AfterEach
    void noWarningsOrErrors() {
        context.stop();
        assertThat(context.getStatusManager().getCopyOfStatusList()).as("Logback's warnings and errors")
                .filteredOn(status -> status.getEffectiveLevel() >= Status.WARN).isEmpty();
    }

    @Test
    void inThePlainFormatAMessageStaysOnOneLineAndKeepsNoKey(CapturedOutput output) throws JoranException {
        Logger log = configure(null);

        log.warn("GET /v1/client-config?key={}&stream={}", KEY, FORGED);
        log.error("Failed", new IllegalStateException("outer " + FORGED,
                new IllegalArgumentException("inner password=hunter2\n" + FORGED_LINE)));
        log.error(null, new IllegalStateException());

        List<String> lines = output.getOut().lines().toList();
        assertThat(lines).noneMatch(line -> line.startsWith(FORGED_LINE)).noneMatch(line -> line.contains(KEY))
                .noneMatch(line -> line.contains("hunter2"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(" WARN ")
                .endsWith("GET /v1/client-config?key=mesh_sk_KKKK…&stream=x\\r\\n" + FORGED_LINE));
        assertThat(lines).contains("java.lang.IllegalStateException: outer x\\r\\n" + FORGED_LINE,
                "Caused by: java.lang.IllegalArgumentException: inner password=…\\n" + FORGED_LINE);
        assertThat(lines).as("frames on their own lines")
                .anyMatch(line -> line.startsWith("\tat " + SafeLogOutputTests.class.getName()));
    }

    @Test
    void aLineShownOnceKeepsItsSecretButStaysOnOneLine(CapturedOutput output) throws JoranException {
        Logger log = configure(null);

        log.warn(LogSafe.SHOWN_ONCE, "Bootstrap: generated secret key (shown once): {}{}", KEY, FORGED);

        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith(FORGED_LINE))
                .anyMatch(line -> line.endsWith("(shown once): " + KEY + "x\\r\\n" + FORGED_LINE));
    }

    @Test
    void springBootsFailureReportKeepsItsLinesAndStillNoKey(CapturedOutput output) throws JoranException {
        configure(null);
        Logger reporter = context.getLogger("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter");

        reporter.error("\n\n***************************\nAPPLICATION FAILED TO START\n***************************\n\n"
                + "Description:\n\nThe key " + KEY + " is wrong");

        assertThat(output.getOut().lines()).contains("APPLICATION FAILED TO START", "Description:")
                .noneMatch(line -> line.contains(KEY)).anyMatch(line -> line.startsWith("The key mesh_sk_KKKK…"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash", "gelf"})
    void structuredFormatsKeepNoKey(String format, CapturedOutput output) throws JoranException {
        Logger log = configure(format);

        log.warn("GET /v1/client-config?key={}&stream={}", KEY, FORGED);
        log.error("Failed", new IllegalStateException("outer " + FORGED,
                new IllegalArgumentException("inner " + KEY)));
        log.warn(LogSafe.SHOWN_ONCE, "Bootstrap: generated secret key (shown once): {}", KEY);

        // Other tests' applications may still be running in this JVM and log too.
        List<String> lines = output.getOut().lines()
                .filter(line -> line.contains(SafeLogOutputTests.class.getName())).toList();
        assertThat(lines).hasSize(3).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        List<JsonNode> events = lines.stream().map(JSON::readTree).toList();
        assertThat(events.get(0).toString()).doesNotContain(KEY).contains("key=mesh_sk_KKKK…&stream=x\\r\\n2026");
        assertThat(events.get(1).toString()).doesNotContain(KEY).contains("inner mesh_sk_KKKK…")
                .contains("IllegalStateException: outer x\\r\\n2026");
        assertThat(events.get(2).toString()).contains("(shown once): " + KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ecs"})
    void aLogFileIsAsSafe(String format, @TempDir Path directory) throws JoranException, IOException {
        Path file = directory.resolve("meshcp.log");
        context.putProperty("LOG_FILE", file.toString());
        context.putProperty("FILE_LOG_STRUCTURED_FORMAT", format);
        Logger log = configure(null);

        log.warn("GET /v1/client-config?key={}&stream={}", KEY, FORGED);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1).noneMatch(line -> line.contains(KEY))
                .allMatch(line -> line.contains("key=mesh_sk_KKKK…&stream=x\\r\\n2026"))
                .allMatch(line -> line.startsWith("{") == !format.isEmpty());
    }

    /** Configures the context as Spring Boot would, with the given structured console format or the plain one. */
    private Logger configure(String structuredFormat) throws JoranException {
        if (structuredFormat != null) {
            context.putProperty("CONSOLE_LOG_STRUCTURED_FORMAT", structuredFormat);
        }
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putObject(Environment.class.getName(),
                new MockEnvironment().withProperty("spring.application.name", "mesh-control-plane"));
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(SafeLogOutputTests.class.getResource("/logback-spring.xml"));
        return context.getLogger(SafeLogOutputTests.class);
    }
}
