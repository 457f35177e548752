package io.meshcp.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTests {

    @Test
    void aLineBreakCannotStartAForgedLogLine() {
        String forged = "x\n2026-12-06T10:00:00Z  INFO 1 --- [main] io.meshcp.accounts : Login of admin@example.com\r\n";

        assertThat(LogSafe.text(forged)).doesNotContain("\n").doesNotContain("\r")
                .startsWith("x\\n2026-12-06T10:00:00Z").endsWith("\\r\\n");
        assertThat(LogSafe.text("a\u0000b\u001bc\u2028d\u0085e\u007ff"))
                .isEqualTo("a\\u0000b\\u001bc\\u2028d\\u0085e\\u007ff");
        assertThat(LogSafe.escape("nothing to escape: é ü ÿ")).isEqualTo("nothing to escape: é ü ÿ");
    }

    @Test
    void keysTokensAndSecretParametersKeepOnlyARecognisablePrefix() {
        String key = "mesh_sk_" + "A".repeat(43);
        String token = "eyJraWQiOiJrMSIsImFsZyI6IkhTMjU2In0.eyJ0IjoidGVuYW50In0.c2lnbmF0dXJl";

        String logged = LogSafe.text("GET /v1/client-config?key=" + key + "&token=" + token
                + "&password=hunter2 Authorization: Bearer-ish");

        assertThat(logged).doesNotContain(key).contains("mesh_sk_AAAA…").doesNotContain("eyJ0IjoidGVuYW50In0")
                .doesNotContain("hunter2").contains("password=…");
        assertThat(LogSafe.text("mesh_pk_" + "b".repeat(40) + "\u00ff")).isEqualTo("mesh_pk_bbbb…\u00ff");
        assertThat(LogSafe.redact("refused " + token + " for stream 42")).isEqualTo("refused eyJ… for stream 42");
    }

    @Test
    void secretsInJsonHeadersAndUrlsAreDropped() {
        String logged = LogSafe.redact("{\"email\":\"a@example.com\",\"password\":\"two \\\"quoted\\\" words\","
                + "\"access_token\":\"abc\"} Authorization: Basic dXNlcjpwYXNz, bearer eyJhbGciOi.x.y "
                + "jdbc:postgresql://meshcp:s3cret@db:5432/meshcp redis://:hunter2@redis:6379");

        assertThat(logged).isEqualTo("{\"email\":\"a@example.com\",\"password\":\"…\",\"access_token\":\"…\"} "
                + "Authorization: Basic …, bearer … jdbc:postgresql://meshcp:…@db:5432/meshcp redis://:…@redis:6379");
        assertThat(LogSafe.redact(logged)).isEqualTo(logged);
        assertThat(LogSafe.redact("Authorization: Bearer mesh_sk_" + "C".repeat(40) + " apiKey=mesh_pk_"
                + "d".repeat(40))).isEqualTo("Authorization: Bearer mesh_sk_CCCC… apiKey=mesh_pk_dddd…");
    }

    @Test
    void ordinaryLinesAreLeftAsTheyAre() {
        String line = "Started MeshControlPlaneApplication in 9.1 seconds; tracker on port 8081 at /v1/tracker "
                + "(https://cdn.example.com:443/live/master.m3u8)";

        assertThat(LogSafe.escape(LogSafe.redact(line))).isEqualTo(line);
    }

    @Test
    void aLongValueIsCut() {
        String logged = LogSafe.text("z".repeat(100_000));

        assertThat(logged).hasSize(LogSafe.MAX_LENGTH + 1).endsWith("…");
        assertThat(LogSafe.text(null)).isEqualTo("null");
    }
}
