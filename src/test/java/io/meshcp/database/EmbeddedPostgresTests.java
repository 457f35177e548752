package io.meshcp.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.UUID;

import io.meshcp.MeshControlPlaneApplication;
import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.SignUp;
import io.meshcp.shared.caller.Actor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/** The local-run default: no datasource configured starts an embedded PostgreSQL that keeps its data. */
class EmbeddedPostgresTests {

    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path data;

    @Test
    void asRootTheStartStopsWithTheReasonAndWhatToDoInstead() {
        assumeTrue(ROOT, "only meaningful when running as root");

        Throwable failure = catchThrowable(() -> start().close());

        assertThat(failure).hasRootCauseInstanceOf(EmbeddedPostgresUnavailableException.class);
        EmbeddedPostgresUnavailableException cause = (EmbeddedPostgresUnavailableException) rootCause(failure);
        FailureAnalysis analysis = new EmbeddedPostgresFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("refuses to run as root");
        assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL").isEqualTo(cause.action());
    }

    @Test
    void asANormalUserTheDataSurvivesARestart() {
        assumeFalse(ROOT, "PostgreSQL refuses to run as root");
        String organisation = "Embedded " + UUID.randomUUID();

        try (ConfigurableApplicationContext first = start()) {
            first.getBean(Accounts.class).signUp(new SignUp(organisation, "Em", "em-" + UUID.randomUUID()
                    + "@example.com", "an embedded database passphrase"), Actor.SYSTEM);
        }
        try (ConfigurableApplicationContext second = start()) {
            assertThat(second.getBean(Accounts.class).findTenantByName(organisation)).isPresent();
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MeshControlPlaneApplication.class)
                .properties("server.port=0", "meshcp.embedded-postgres.enabled=true",
                        "meshcp.embedded-postgres.port=0", "meshcp.embedded-postgres.data-directory=" + data)
                .run();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
