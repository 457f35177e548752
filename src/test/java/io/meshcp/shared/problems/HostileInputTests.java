package io.meshcp.shared.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Malformed requests as anyone can send them, over raw sockets so that nothing cleans them up on the way: each is a
 * 4xx problem detail, and none costs a stack trace in the log.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    String secretKey;

    String publishableKey;

    @BeforeEach
    void keys() {
        Fixtures.Tenant tenant = fixtures.tenant();
        secretKey = fixtures.secretKey(tenant.id()).key();
        publishableKey = fixtures.publishableKey(tenant.id()).key();
    }

    @Test
    void contentTypesWithAnEmptyOrUnknownCharsetAre415(CapturedOutput output) throws IOException {
        for (String type : new String[] {"application/json; charset=", "application/json; charset=bogus",
                "text/plain; charset=x-nope"}) {
            assertProblem(send("POST /v1/telemetry?key=" + publishableKey, "Content-Type: " + type, "{}"), 415);
        }
        assertProblem(send("POST /api/v1/streams", "Authorization: Bearer " + secretKey
                + "\r\nContent-Type: application/json; charset=", "{}"), 415);
        assertNoStackTraces(output);
    }

    @Test
    void queryStringsThatAreNotPercentEncodedUtf8Are400(CapturedOutput output) throws IOException {
        assertProblem(send("GET /api/v1/streams?q=%zz", "Authorization: Bearer " + secretKey, null), 400);
        assertProblem(send("GET /api/v1/audit-events?type=%00%ff", "Authorization: Bearer " + secretKey, null), 400);
        assertProblem(send("GET /v1/client-config?key=" + publishableKey + "&stream=%E0%A4%A", null, null), 400);
        assertNoStackTraces(output);
    }

    @Test
    void pageNumbersPastAnyListAre400(CapturedOutput output) throws IOException {
        for (String path : new String[] {"/api/v1/streams", "/api/v1/audit-events", "/api/v1/live-events"}) {
            String answer = send("GET " + path + "?page=2147483647&size=100", "Authorization: Bearer " + secretKey,
                    null);
            assertProblem(answer, 400);
            assertThat(answer).contains("page: must be less than or equal to 1000000");
        }
        assertNoStackTraces(output);
    }

    @Test
    void requestsTheServerRefusesBeforeAnyServletAreProblemsToo(CapturedOutput output) throws IOException {
        String big = "a".repeat(20_000);
        assertProblem(send("GET /api/v1/streams/%zz", "Authorization: Bearer " + secretKey, null), 400);
        assertProblem(send("GET /api/v1/streams/by-external-id/a%00b", "Authorization: Bearer " + secretKey, null), 400);
        assertProblem(send("GET /api/v1/streams", "X-Big: " + big, null), 400);
        assertProblem(send("GET /api/v1/streams?q=" + big, null, null), 400);
        String answer = send("GET /api/v1/streams", "X-Big: " + big, null);
        assertThat(answer).doesNotContainIgnoringCase("<html").doesNotContain("Apache Tomcat");
        assertNoStackTraces(output);
    }

    static void assertProblem(String answer, int status) {
        assertThat(answer).startsWith("HTTP/1.1 " + status + " ")
                .containsIgnoringCase("content-type: application/problem+json").contains("\"status\":" + status);
    }

    static void assertNoStackTraces(CapturedOutput output) {
        assertThat(output.getAll()).doesNotContain("Unhandled error").doesNotContain("\tat org.apache");
    }

    /** One request over a raw socket (request line, extra headers, body), closed after the answer; the answer. */
    String send(String requestLine, String headers, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: localhost\r\n");
            if (headers != null) {
                request.append(headers).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
