package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Third-party clients against our tracker: the npm bittorrent-tracker client, with a real WebRTC
 * stack (@roamhq/wrtc), in Node. The packages come from interop/ ({@code npm ci --prefix interop},
 * which .ci/run does); all traffic stays on this machine.
 */
@IntegrationTest
class InteropTests {

    static final Path INTEROP = Path.of("interop");

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    UUID tenantId;

    UUID streamId;

    String keyHash;

    @BeforeEach
    void setUp() {
        boolean installed = Files.isDirectory(INTEROP.resolve("node_modules/bittorrent-tracker"));
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "interop clients are not installed: npm ci --prefix interop");
        }
        else {
            assertThat(installed).as("CI must install the interop clients (npm ci --prefix interop)").isTrue();
        }
        tenantId = fixtures.tenant().id();
        keyHash = ApiKeys.hash(fixtures.publishableKey(tenantId).key());
        streamId = streams.create(tenantId, new StreamRequest("interop", "Interop", StreamKind.LIVE, List.of(), null,
                false), Actor.SYSTEM).id();
    }

    @Test
    void twoBittorrentTrackerClientsMeetThroughOurTrackerAndOpenADataChannel() throws Exception {
        byte[] infoHash = new byte[20];
        ThreadLocalRandom.current().nextBytes(infoHash);

        Result result = node("bittorrent-tracker-pair.mjs", announceUrl(), announceUrl(),
                HexFormat.of().formatHex(infoHash));

        assertThat(result.output()).contains("\"ok\":true").contains("hello from A").contains("hello from B");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theTrackerClientOfP2pMediaLoaderConnectsAndReceivesPeers() throws Exception {
        Result result = node("p2p-media-loader-pair.mjs", announceUrl(), announceUrl(),
                "https://cdn.example.com/interop/" + UUID.randomUUID() + "/720p.m3u8");

        assertThat(result.output()).contains("\"ok\":true");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private String announceUrl() {
        return "ws://localhost:" + server.port() + "/v1/signal?token="
                + tokens.issue(new SignalingClaims.Grant(tenantId, streamId, session(), Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN, "t0-s0",
                        keyHash, 0)).token();
    }

    private static Result node(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(INTEROP.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.isAlive() ? -1 : process.exitValue(), output);
    }

    record Result(int exitCode, String output) {
    }

    private static String session() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
