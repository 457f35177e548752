package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

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
            int ready = awaitReadiness(http, port, process);
            assertThat(ready).as("readiness (log: %s)", log).isEqualTo(200);

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

    /** Polls readiness until the process answers it or exits; the status it last answered. */
    private static int awaitReadiness(HttpClient http, int port, Process process) throws InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        // The start is waited for, not timed: only a process that exits (or never answers in minutes) fails here.
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return status;
                }
            }
            catch (IOException notListeningYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        return process.isAlive() ? -1 : -process.exitValue() - 1000;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
