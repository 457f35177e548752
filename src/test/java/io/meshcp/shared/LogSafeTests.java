package io.meshcp.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTests {

    @Test
    void aLineBreakCannotStartAForgedLogLine() {
        String forged = "x\n2026-12-06T10:00:00Z  INFO 1 --- [main] io.meshcp.accounts : Login of admin@example.com\r\n";

        assertThat(LogSafe.text(forged)).doesNotContain("\n").doesNotContain("\r")
                .startsWith("x\\n2026-12-06T10:00:00Z").endsWith("\\r\\n");
        assertThat(LogSafe.text("a\u0000b\u001bc\u2028d")).isEqualTo("a\\u0000b\\u001bc\\u2028d");
    }

    @Test
    void keysTokensAndSecretParametersKeepOnlyARecognisablePrefix() {
        String key = "mesh_sk_" + "A".repeat(43);
        String token = "v1.k1.eyJ0IjoidGVuYW50In0.c2lnbmF0dXJl";

        String logged = LogSafe.text("GET /v1/client-config?key=" + key + "&token=" + token
                + "&password=hunter2 Authorization: Bearer-ish");

        assertThat(logged).doesNotContain(key).contains("mesh_sk_AAAA…").doesNotContain("eyJ0IjoidGVuYW50In0")
                .doesNotContain("hunter2").contains("password=…");
        assertThat(LogSafe.text("mesh_pk_" + "b".repeat(40) + "\u00ff")).isEqualTo("mesh_pk_bbbb…\u00ff");
    }

    @Test
    void aLongValueIsCut() {
        String logged = LogSafe.text("z".repeat(100_000));

        assertThat(logged).hasSize(LogSafe.MAX_LENGTH + 1).endsWith("…");
        assertThat(LogSafe.text(null)).isEqualTo("null");
    }
}
