package io.meshcp.shared.http;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Oversize bodies as an attacker sends them, over raw sockets: a huge declared length, and a chunked body that never
 * says how long it is. Each is answered 413 problem+json without the node reading (or holding) the body, and
 * changes nothing.
 */
@IntegrationTest
class RequestBodyLimitTests {

    static final int MIB = 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    String secretKey;

    Http http;

    @BeforeEach
    void tenant() {
        http = new Http(port);
        secretKey = fixtures.secretKey(fixtures.tenant().id()).key();
    }

    @Test
    void aHugeDeclaredBodyIsRefusedBeforeItIsSent() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            // 16 MiB announced; only the headers and the first kilobyte are ever sent.
            out.write(("POST /api/v1/streams HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + secretKey
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + 16 * MIB + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(filler(1024));
            out.flush();

            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                    .containsIgnoringCase("connection: close").contains("\"status\":413")
                    .contains("65536 bytes this endpoint takes");
        }
        assertThat(http.get("/api/v1/streams", bearer(secretKey)).json().get("items")).isEmpty();
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimitWhileItIsRead() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/streams HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + secretKey
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // A JSON string that keeps going: 200 KiB of it in 8 KiB chunks, never finished.
            chunk(out, "{\"externalId\": \"x\", \"name\": \"".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 25; i++) {
                chunk(out, filler(8 * 1024));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"status\":413")
                    .contains("65536 bytes this endpoint takes");
        }
        assertThat(http.get("/api/v1/streams", bearer(secretKey)).json().get("items")).isEmpty();
    }

    @Test
    void aSignInFormOfAMegabyteIsRefusedBeforeAnyoneIsAuthenticated() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /login HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + MIB + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void telemetryTakesItsOwnLargerLimitAndNoMore() throws IOException {
        String key = fixtures.publishableKey(fixtures.tenant().id()).key();
        // 100 KiB: over the default, within telemetry's 1 MiB; not JSON, so refused as malformed, not as too large.
        Http.Response malformed = http.send(HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofByteArray(filler(100 * 1024)))
                .uri(URI.create("http://localhost:" + port + "/v1/telemetry?key=" + key)),
                "Content-Type", "application/json");
        assertThat(malformed.status()).isEqualTo(400);

        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /v1/telemetry?key=" + key + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (MIB + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 413")
                    .contains(MIB + " bytes this endpoint takes");
        }
    }

    Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static byte[] filler(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The answer as an HTTP client reads it: the headers, then the body its Content-Length or chunks frame, else up to
     * the server's close. Framed answers are not read to the close: a server may keep reading what the client
     * announced for a while after it has answered.
     */
    static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            String head = readUntil(in, answer, "\r\n\r\n");
            Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
            if (length.find()) {
                answer.write(in.readNBytes(Integer.parseInt(length.group(1))));
            }
            else if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                readUntil(in, answer, "\r\n0\r\n\r\n");
            }
            else {
                // Neither: the body ends where the server closes the connection.
                answer.write(in.readAllBytes());
            }
        }
        catch (IOException reset) {
            // A reset after the answer arrived changes nothing here; before it, the assertions fail on what is missing.
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** Reads into {@code answer} until it ends with {@code end} or the stream does; what was read so far. */
    private static String readUntil(InputStream in, ByteArrayOutputStream answer, String end) throws IOException {
        for (int b; (b = in.read()) >= 0; ) {
            answer.write(b);
            if (answer.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
                break;
            }
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }
}
