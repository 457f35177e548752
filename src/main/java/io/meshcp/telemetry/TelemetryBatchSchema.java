package io.meshcp.telemetry;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /v1/telemetry} as the OpenAPI document describes it. The endpoint reads the body itself,
 * event by event, so that one bad event never costs the others ({@link HeartbeatParser} holds the rules); this
 * record only tells clients, and the client generated in the tests, what to send.
 */
@Schema(name = "TelemetryBatch", description = "A batch of heartbeats: at most 500 events and 1 MiB.", example = """
        {"batchId": "b-7f3a", "sdk": "meshcp-js/1.4.0", "events": [{"eventId": "6f1d3c2b-1a4e-4f5b-8c7d-9e0a1b2c3d4e",
          "ts": "2026-12-12T19:45:10Z", "sessionId": "s-9c1e4b7a2f", "streamId": "cup-final", "rendition": "720p",
          "cohort": "p2p", "intervalMs": 10000, "cdnBytes": 1200000, "p2pBytesDown": 2600000, "p2pBytesUp": 900000,
          "peers": 4, "playMs": 10000, "rebufferMs": 0, "network": "wifi", "device": "mobile", "battery": 0.72,
          "charging": false}]}""")
record TelemetryBatchSchema(
        @Schema(description = "The client's id for the batch, echoed in logs.", maxLength = 128) String batchId,
        @Schema(description = "The SDK's name and version, for every event that names none.", maxLength = 64)
        String sdk,
        @ArraySchema(schema = @Schema(implementation = HeartbeatSchema.class), maxItems = 500)
        @Schema(requiredMode = RequiredMode.REQUIRED) List<HeartbeatSchema> events) {

    /** One heartbeat of one playback session, as {@link HeartbeatParser} takes it. */
    @Schema(name = "Heartbeat", description = "One playback session's report of its last interval.")
    record HeartbeatSchema(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Random per heartbeat; a replay with the same "
                    + "id (and ts) is counted once.") UUID eventId,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time", description = "When the interval "
                    + "ended: an ISO-8601 instant (epoch milliseconds are taken too). At most 48 hours old.")
            String ts,
            @Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[A-Za-z0-9_-]{8,128}$") String sessionId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The stream's external id.",
                    pattern = "^[A-Za-z0-9_.:-]{1,128}$") String streamId,
            @Schema(pattern = "^[A-Za-z0-9_.-]{1,64}$") String rendition,
            @Schema(requiredMode = RequiredMode.REQUIRED) String cohort,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1", maximum = "3600000") Integer intervalMs,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "1000000000000") Long cdnBytes,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "1000000000000") Long p2pBytesDown,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "1000000000000") Long p2pBytesUp,
            @Schema(minimum = "0", maximum = "1000") Integer peers,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "3600000") Integer playMs,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "3600000") Integer rebufferMs,
            @Schema(minimum = "0", maximum = "3600000", description = "Live only: behind the live edge.")
            Integer latencyMs,
            @Schema(minimum = "0", maximum = "1", description = "Battery level, 0 to 1.") Double battery,
            Boolean charging,
            @Schema(defaultValue = "unknown") String network,
            @Schema(defaultValue = "desktop") String device,
            @Schema(defaultValue = "unknown") String nat,
            @Schema(maxLength = 64, description = "The player and its version, e.g. hls.js 1.5.") String player,
            @Schema(maxLength = 64) String sdk,
            @ArraySchema(schema = @Schema(pattern = "^[A-Z][A-Z0-9_]{0,39}$"), maxItems = 20) List<String> p2pReasons,
            @Schema(pattern = "^[0-9a-f]{40}$", description = "The swarm's info hash, hex: names the live swarm view's "
                    + "rendition.") String infoHash) {
    }
}
