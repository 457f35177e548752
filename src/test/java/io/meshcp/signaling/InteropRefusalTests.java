package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A refusal as the npm bittorrent-tracker client hears it: with the announce's info_hash it becomes a
 * {@code warning} event the player can read, and the close that follows does not bring the client down.
 * Installed like {@link InteropTests}: {@code npm ci --prefix interop}.
 */
@IntegrationTest
class InteropRefusalTests {

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @BeforeEach
    void interopClientsInstalled() {
        boolean installed = Files.isDirectory(InteropTests.INTEROP.resolve("node_modules/bittorrent-tracker"));
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "interop clients are not installed: npm ci --prefix interop");
        }
        else {
            assertThat(installed).as("CI must install the interop clients (npm ci --prefix interop)").isTrue();
        }
    }

    @Test
    void aForgedTokensRefusalReachesTheClientAsAWarningAndTheClientSurvivesTheClose() throws Exception {
        UUID tenantId = fixtures.tenant().id();
        UUID streamId = streams.create(tenantId, new StreamRequest("interop", "Interop", StreamKind.LIVE, List.of(),
                null, false), Actor.SYSTEM).id();
        String token = tokens.issue(new SignalingClaims.Grant(tenantId, streamId, "interop-session", Cohort.P2P,
                DeviceClass.DESKTOP, NatType.OPEN, "t0-s0", ApiKeys.hash(fixtures.publishableKey(tenantId).key()), 0)).token();
        // The signature's last characters changed: well formed, but not signed by us.
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        byte[] infoHash = new byte[20];
        ThreadLocalRandom.current().nextBytes(infoHash);

        Result result = node("bittorrent-tracker-refused.mjs",
                "ws://localhost:" + server.port() + "/v1/signal?token=" + forged, HexFormat.of().formatHex(infoHash));

        assertThat(result.output()).contains("\"ok\":true").contains("TOKEN_INVALID token="
                + SignalingTokens.fingerprint(forged) + ")").doesNotContain("crashed");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static Result node(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(InteropTests.INTEROP.toFile())
                .redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.isAlive() ? -1 : process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
