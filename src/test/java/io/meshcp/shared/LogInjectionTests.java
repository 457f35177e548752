package io.meshcp.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hostile query strings against the running application with Spring's and Spring Security's debug logging on, as an
 * operator turns it on to find out why requests fail. Those lines are Spring's and Tomcat's, not ours, and repeat the
 * request (Spring Security's firewall names a rejected parameter, Tomcat the value it could not decode): still no
 * value starts a forged log line and no key is logged in full.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionTests {

    static final String FORGED_LINE = "2026-12-06T10:00:00.000Z  INFO 1 --- [mesh-control-plane] [main] "
            + "io.meshcp.accounts.LoginHandlers : admin@example.com signed in";

    static final String[] DEBUGGED = {"org.springframework.security", "org.springframework.web"};

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    LoggingSystem loggingSystem;

    @BeforeEach
    void debug() {
        for (String logger : DEBUGGED) {
            loggingSystem.setLogLevel(logger, LogLevel.DEBUG);
        }
    }

    @AfterEach
    void quiet() {
        for (String logger : DEBUGGED) {
            loggingSystem.setLogLevel(logger, null);
        }
    }

    @Test
    void aLineBreakInAQueryCannotStartAForgedLogLine(CapturedOutput output) {
        String forged = "next%0d%0a" + URLEncoder.encode(FORGED_LINE, StandardCharsets.UTF_8) + "=1";

        assertThat(new Http(port).get("/login?" + forged).status()).isEqualTo(400);
        assertThat(new Http(port).get("/v1/client-config?" + forged).status()).isEqualTo(400);

        assertThat(output.getAll().lines()).noneMatch(line -> line.startsWith(FORGED_LINE))
                .anyMatch(line -> line.contains("next\\r\\n" + FORGED_LINE));
    }

    @Test
    void aKeyInAQueryWithABadByteIsNotLoggedInFull(CapturedOutput output) {
        Fixtures.Tenant tenant = fixtures.tenant();
        String secretKey = fixtures.secretKey(tenant.id()).key();
        String publishableKey = fixtures.publishableKey(tenant.id()).key();

        assertThat(new Http(port).get("/v1/client-config?stream=%ff&key=" + secretKey).status()).isEqualTo(400);
        assertThat(new Http(port).get("/login?key=" + secretKey + "%ff").status()).isEqualTo(400);
        assertThat(new Http(port).post("/v1/telemetry?key=" + publishableKey + "%ff", "{\"events\":[]}").status())
                .isEqualTo(400);

        assertThat(output.getAll()).doesNotContain(secretKey).doesNotContain(publishableKey)
                .contains("key=" + secretKey.substring(0, 12) + "…")
                .contains("key=" + publishableKey.substring(0, 12) + "…");
    }
}
