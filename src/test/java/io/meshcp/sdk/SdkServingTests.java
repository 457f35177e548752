package io.meshcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The SDK's files as a broadcaster's page and its CDN receive them. */
@IntegrationTest
class SdkServingTests {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void theModuleIsServedAsItIsInTheRepositoryCacheableAndReadableFromAnyOrigin() throws IOException {
        Http.Response module = http.get("/sdk/v1/meshcp.js", "Origin", "https://www.broadcaster.example");

        assertThat(module.status()).isEqualTo(200);
        assertThat(module.body()).isEqualTo(Files.readString(Path.of("sdk", "meshcp.js")));
        assertThat(module.header("Content-Type")).isEqualTo("text/javascript;charset=UTF-8");
        assertThat(module.header("ETag")).matches("\"[0-9a-f]{24}\"");
        assertThat(module.header("Cache-Control")).contains("max-age=300").contains("public")
                .contains("stale-while-revalidate=3600");
        assertThat(module.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(module.header("Cross-Origin-Resource-Policy")).isEqualTo("cross-origin");
        assertThat(module.header("Set-Cookie")).as("no session for a script").isNull();
    }

    @Test
    void anUnchangedCopyIsRevalidatedWithoutABody() {
        String etag = http.get("/sdk/v1/lib/telemetry.js").header("ETag");

        Http.Response unchanged = http.get("/sdk/v1/lib/telemetry.js", "If-None-Match", etag);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.header("ETag")).isEqualTo(etag);

        Http.Response other = http.get("/sdk/v1/lib/telemetry.js", "If-None-Match", "\"0123456789abcdef01234567\"");
        assertThat(other.status()).as("another version's tag").isEqualTo(200);
        assertThat(http.get("/sdk/v1/meshcp.js").header("ETag")).as("each file has its own tag").isNotEqualTo(etag);
    }

    @Test
    void theTypeDeclarationsAreText() throws IOException {
        Http.Response declarations = http.get("/sdk/v1/index.d.ts");

        assertThat(declarations.status()).isEqualTo(200);
        assertThat(declarations.header("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
        assertThat(declarations.body()).isEqualTo(Files.readString(Path.of("sdk", "index.d.ts")));
    }

    @Test
    void nothingElseIsServedUnderTheSdksPath() {
        assertThat(http.get("/sdk/v1/missing.js").status()).isEqualTo(404);
        assertThat(http.get("/sdk/v1/package.json").status()).isEqualTo(404);
        assertThat(http.get("/sdk/v1/lib/..%2F..%2Fapplication.yml").status()).isIn(400, 404);
        assertThat(http.get("/sdk/v2/meshcp.js").status()).isEqualTo(404);
    }
}
