package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever a player posts to /v1/telemetry, once it is a JSON object with an {@code events} array (the controller
 * answers anything else 400 before the parser sees it), every event is either one valid heartbeat or one rejection
 * with a reason, in batch order, and nothing is thrown; and a heartbeat that passes keeps every rule docs/telemetry.md
 * states. The parser is the application's, with its stream directory and limits, and a clock fixed at the seeds'
 * time so that their timestamps stay fresh. The seeds are batches as the player SDK sends them and near misses.
 */
@IntegrationTest
class HeartbeatParserFuzzTests {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    static final Set<String> COHORTS = Set.of("p2p", "holdout");

    static UUID tenantId;

    static Set<UUID> streamIds;

    @Autowired
    StreamDirectory streams;

    @Autowired
    TelemetryProperties properties;

    @Autowired
    JsonMapper json;

    HeartbeatParser parser;

    @BeforeAll
    static void createStreams(@Autowired Fixtures fixtures, @Autowired Streams streams) {
        tenantId = fixtures.tenant().id();
        streamIds = Set.of(
                streams.create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE, List.of(), null, false),
                        Actor.SYSTEM).id(),
                streams.create(tenantId, new StreamRequest("vod:episode-1.2", "Episode", StreamKind.VOD, List.of(),
                        null, false), Actor.SYSTEM).id());
    }

    @BeforeEach
    void parserAtTheSeedsTime() {
        parser = new HeartbeatParser(streams, properties, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @FuzzTest
    void everyEventIsAHeartbeatOrARejectionAndNothingElse(byte[] input) {
        JsonNode body;
        try {
            body = json.readTree(input);
        }
        catch (JacksonException e) {
            return;
        }
        if (body == null || !body.isObject() || !body.path("events").isArray()
                || body.get("events").size() > properties.maxEventsPerBatch()) {
            return;
        }
        JsonNode events = body.get("events");

        HeartbeatParser.Parsed parsed = parser.parse(tenantId, events, body.get("sdk"));

        List<Integer> accepted = new ArrayList<>();
        int next = 0;
        for (IngestResult.Rejection rejection : parsed.rejected()) {
            assertThat(rejection.index()).as("rejections in batch order").isBetween(next, events.size() - 1);
            assertThat(rejection.reason()).isNotBlank();
            while (next < rejection.index()) {
                accepted.add(next++);
            }
            next++;
        }
        while (next < events.size()) {
            accepted.add(next++);
        }
        assertThat(parsed.heartbeats()).hasSameSizeAs(accepted);
        for (int i = 0; i < accepted.size(); i++) {
            JsonNode event = events.get(accepted.get(i));
            Heartbeat heartbeat = parsed.heartbeats().get(i);
            assertThat(heartbeat.eventId()).isEqualTo(UUID.fromString(event.get("eventId").asString()));
            assertKeepsTheRules(heartbeat);
        }
    }

    private void assertKeepsTheRules(Heartbeat heartbeat) {
        assertThat(heartbeat.ts()).isBetween(NOW.minus(properties.maxEventAge()), NOW.plus(properties.maxClockSkew()));
        assertThat(heartbeat.ts()).isEqualTo(heartbeat.ts().truncatedTo(ChronoUnit.MILLIS));
        assertThat(heartbeat.sessionId()).matches("[A-Za-z0-9_-]{8,128}");
        assertThat(heartbeat.streamId()).isIn(streamIds);
        assertThat(heartbeat.rendition()).matches("[A-Za-z0-9_.-]{0,64}");
        assertThat(heartbeat.cohort()).isIn(COHORTS);
        assertThat(heartbeat.intervalMs()).isBetween(1, 3_600_000);
        assertThat(heartbeat.playMs()).isBetween(0, 3_600_000);
        assertThat(heartbeat.rebufferMs()).isBetween(0, 3_600_000);
        for (long bytes : new long[] {heartbeat.cdnBytes(), heartbeat.p2pBytesDown(), heartbeat.p2pBytesUp()}) {
            assertThat(bytes).isBetween(0L, 1_000_000_000_000L);
        }
        assertThat(heartbeat.peers()).isBetween(0, 1_000);
        if (heartbeat.latencyMs() != null) {
            assertThat(heartbeat.latencyMs()).isBetween(0, 3_600_000);
        }
        if (heartbeat.battery() != null) {
            assertThat(heartbeat.battery()).isBetween(0f, 1f);
        }
        assertThat(heartbeat.network()).isIn("wifi", "cellular", "ethernet", "unknown");
        assertThat(heartbeat.device()).isIn("desktop", "mobile", "tv");
        assertThat(heartbeat.nat()).isIn("open", "full-cone", "restricted", "port-restricted", "symmetric", "unknown");
        for (String label : new String[] {heartbeat.player(), heartbeat.sdk()}) {
            if (label != null) {
                assertThat(label).matches("[ -~]{1,64}");
            }
        }
        assertThat(heartbeat.p2pReasons()).hasSizeLessThanOrEqualTo(20).doesNotHaveDuplicates()
                .allSatisfy(reason -> assertThat(reason).matches("[A-Z][A-Z0-9_]{0,39}"));
        if (heartbeat.infoHash() != null) {
            assertThat(heartbeat.infoHash()).matches("[0-9a-f]{40}");
        }
    }
}
