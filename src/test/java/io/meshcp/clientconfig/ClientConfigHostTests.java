package io.meshcp.clientconfig;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The tracker and telemetry URLs client-config hands out are built from the request's host only when that host is
 * one of meshcp.http.public-hosts (localhost and loopback addresses by default): a client that writes another name
 * into {@code Host} or {@code X-Forwarded-Host} gets 421, never a URL of its choosing.
 */
@IntegrationTest
class ClientConfigHostTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    String key;

    @BeforeEach
    void streamAndKey() {
        Http http = new Http(port);
        Fixtures.Tenant tenant = fixtures.tenant();
        String[] admin = bearer(fixtures.secretKey(tenant.id()).key());
        assertThat(http.post("/api/v1/streams", "{\"externalId\": \"news\", \"name\": \"News\", \"kind\": \"LIVE\"}",
                admin).status()).isEqualTo(201);
        // No holdout: a session in it gets no tracker URL at all.
        assertThat(http.put("/api/v1/policy", "{\"holdoutPercent\": 0}", with(admin, "If-Match", "\"v0\"")).status())
                .isEqualTo(200);
        key = fixtures.publishableKey(tenant.id(), "https://player.example.com").key();
    }

    @Test
    void aListedHostGetsUrlsUnderItsOwnName() throws IOException {
        String answer = clientConfig("Host: localhost:" + port);

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"url\":\"ws://localhost:")
                .contains("\"url\":\"http://localhost:" + port + "/v1/telemetry\"");
    }

    @Test
    void anotherHostNameIsRefusedWithoutAToken() throws IOException {
        String answer = clientConfig("Host: attacker.example");

        assertThat(answer).startsWith("HTTP/1.1 421").containsIgnoringCase("content-type: application/problem+json")
                .contains("urn:meshcp:problem:misdirected-request").contains("meshcp.http.public-hosts")
                .doesNotContain("token");
    }

    @Test
    void aForwardedHostIsHeldToTheSameList() throws IOException {
        // Loopback is a trusted proxy address, so the forwarded name is taken as the request's host; still not listed.
        String answer = clientConfig("Host: localhost:" + port + "\r\nX-Forwarded-Host: attacker.example");

        assertThat(answer).startsWith("HTTP/1.1 421").doesNotContain("attacker.example/v1");
    }

    /** GET /v1/client-config over a raw socket, since HTTP clients will not send a Host of the caller's choosing. */
    String clientConfig(String hostHeaders) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/client-config?key=" + key + "&stream=news&session=session-0001 HTTP/1.1\r\n"
                    + hostHeaders + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
