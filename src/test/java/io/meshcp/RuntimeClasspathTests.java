package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The application started as `./mvnw spring-boot:run` and the jar start it: in a process of its own, on the runtime
 * classpath alone. A library the tests bring (in test scope) can hide one the application misses at run time, as
 * Jackson 2 once was for springdoc; this start has nothing of the tests'.
 */
class RuntimeClasspathTests {

    private static final Path CLASSPATH_FILE = Path.of("target", "runtime-classpath.txt");

    @Test
    void theApplicationStartsOnItsRuntimeClasspathAloneAndServesItsDocument() throws Exception {
        assertThat(CLASSPATH_FILE).as("written by Maven's generate-test-resources phase (run the tests through Maven)")
                .exists();
        String classpath = Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(CLASSPATH_FILE).strip();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", classpath, MeshControlPlaneApplication.class.getName(), "--server.port=" + port,
                "--meshcp.signaling.port=0", "--meshcp.embedded-postgres.enabled=false"));
        command.addAll(TestDatabase.get().springArguments());
        Path log = Files.createTempFile("meshcp-runtime-classpath", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            // Waited for, not timed: only a process that exits (or never answers in minutes) fails here.
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || ready(http, port));
            assertThat(process.isAlive()).as("the application is still running (log: %s)", log).isTrue();

            // springdoc's document is built by swagger-core, which needs the libraries the tests once hid.
            HttpResponse<String> document = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v3/api-docs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(document.statusCode()).as(Files.readString(log)).isEqualTo(200);
            assertThat(document.body()).contains("\"openapi\"", "/v1/client-config");
        }
        finally {
            process.destroy();
            process.onExit().get();
        }
        assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
        Files.delete(log);
    }

    /** Whether the application answers its readiness probe with 200; false while it is not listening yet. */
    private static boolean ready(HttpClient http, int port) throws InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException notListeningYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
