package io.meshcp.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamView;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks each event of a batch on its own: a bad event is rejected with a reason and the others are
 * still taken. Numbers must be JSON numbers and flags JSON booleans; nothing is coerced from strings.
 */
@Component
class HeartbeatParser {

    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private static final Pattern RENDITION = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    private static final Pattern LABEL = Pattern.compile("[\\x20-\\x7E]{1,64}");

    private static final Set<String> NETWORKS = Set.of("wifi", "cellular", "ethernet", "unknown");

    private static final Set<String> DEVICES = Set.of("desktop", "mobile", "tv");

    private static final Set<String> NATS = Set.of("open", "full-cone", "restricted", "port-restricted",
            "symmetric", "unknown");

    /** A heartbeat covers at most an hour; byte counts beyond 1 TB per heartbeat are not real. */
    private static final long MAX_INTERVAL_MS = 3_600_000;

    private static final long MAX_BYTES = 1_000_000_000_000L;

    private final StreamDirectory streams;

    private final TelemetryProperties properties;

    private final Clock clock;

    HeartbeatParser(StreamDirectory streams, TelemetryProperties properties, Clock clock) {
        this.streams = streams;
        this.properties = properties;
        this.clock = clock;
    }

    /** The valid heartbeats, in batch order, and a rejection for each invalid one. */
    Parsed parse(UUID tenantId, JsonNode events, String batchSdk) {
        Instant now = clock.instant();
        List<Heartbeat> valid = new ArrayList<>(events.size());
        List<IngestResult.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                valid.add(heartbeat(tenantId, events.get(i), batchSdk, now));
            }
            catch (Invalid e) {
                rejected.add(new IngestResult.Rejection(i, e.getMessage()));
            }
        }
        return new Parsed(valid, rejected);
    }

    private Heartbeat heartbeat(UUID tenantId, JsonNode event, String batchSdk, Instant now) {
        if (event == null || !event.isObject()) {
            throw new Invalid("an event must be a JSON object");
        }
        UUID eventId = uuid(event, "eventId");
        Instant ts = timestamp(event, now);
        String sessionId = text(event, "sessionId", SESSION, true);
        String streamExternalId = text(event, "streamId", STREAM, true);
        StreamView stream = streams.byExternalId(tenantId, streamExternalId)
                .orElseThrow(() -> new Invalid("streamId: unknown stream '" + streamExternalId + "'"));
        String rendition = text(event, "rendition", RENDITION, false);
        String cohort = oneOf(event, "cohort", Set.of("p2p", "holdout"), null);
        int intervalMs = (int) number(event, "intervalMs", 1, MAX_INTERVAL_MS, true);
        long cdnBytes = number(event, "cdnBytes", 0, MAX_BYTES, true);
        long p2pBytesDown = number(event, "p2pBytesDown", 0, MAX_BYTES, true);
        long p2pBytesUp = number(event, "p2pBytesUp", 0, MAX_BYTES, true);
        int peers = (int) number(event, "peers", 0, 1_000, false);
        int playMs = (int) number(event, "playMs", 0, MAX_INTERVAL_MS, true);
        int rebufferMs = (int) number(event, "rebufferMs", 0, MAX_INTERVAL_MS, true);
        Integer latencyMs = event.hasNonNull("latencyMs") ? (int) number(event, "latencyMs", 0, MAX_INTERVAL_MS, true)
                : null;
        Float battery = null;
        if (event.hasNonNull("battery")) {
            JsonNode node = event.get("battery");
            if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
                throw new Invalid("battery: must be a number between 0 and 1");
            }
            battery = (float) node.asDouble();
        }
        Boolean charging = null;
        if (event.hasNonNull("charging")) {
            if (!event.get("charging").isBoolean()) {
                throw new Invalid("charging: must be true or false");
            }
            charging = event.get("charging").asBoolean();
        }
        String network = oneOf(event, "network", NETWORKS, "unknown");
        String device = oneOf(event, "device", DEVICES, "desktop");
        String nat = oneOf(event, "nat", NATS, "unknown");
        String player = text(event, "player", LABEL, false);
        String sdk = event.hasNonNull("sdk") ? text(event, "sdk", LABEL, false) : batchSdk;
        List<String> reasons = reasons(event);
        return new Heartbeat(eventId, ts, sessionId, stream.id(), rendition == null ? "" : rendition, cohort,
                intervalMs, cdnBytes, p2pBytesDown, p2pBytesUp, peers, playMs, rebufferMs, latencyMs, battery,
                charging, network, device, nat, player, sdk, reasons);
    }

    private static UUID uuid(JsonNode event, String field) {
        JsonNode node = event.get(field);
        if (node == null || !node.isString()) {
            throw new Invalid(field + ": is required, a UUID");
        }
        try {
            return UUID.fromString(node.asString());
        }
        catch (IllegalArgumentException e) {
            throw new Invalid(field + ": must be a UUID");
        }
    }

    /** An ISO-8601 instant ("2026-11-25T10:00:00Z") or milliseconds since the epoch. */
    private Instant timestamp(JsonNode event, Instant now) {
        JsonNode node = event.get("ts");
        Instant ts;
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            ts = Instant.ofEpochMilli(node.asLong());
        }
        else if (node != null && node.isString()) {
            try {
                ts = Instant.parse(node.asString());
            }
            catch (DateTimeParseException e) {
                throw new Invalid("ts: must be an ISO-8601 instant or epoch milliseconds");
            }
        }
        else {
            throw new Invalid("ts: is required, an ISO-8601 instant or epoch milliseconds");
        }
        // Stored to the millisecond; a replay of the event truncates the same way and is recognised.
        ts = ts.truncatedTo(ChronoUnit.MILLIS);
        if (ts.isAfter(now.plus(properties.maxClockSkew()))) {
            throw new Invalid("ts: is in the future");
        }
        if (ts.isBefore(now.minus(properties.maxEventAge()))) {
            throw new Invalid("ts: is too old (more than " + properties.maxEventAge().toHours() + " hours)");
        }
        return ts;
    }

    private static String text(JsonNode event, String field, Pattern pattern, boolean required) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Invalid(field + ": is required");
            }
            return null;
        }
        if (!node.isString() || !pattern.matcher(node.asString()).matches()) {
            throw new Invalid(field + ": must match " + pattern.pattern());
        }
        return node.asString();
    }

    private static String oneOf(JsonNode event, String field, Set<String> allowed, String fallback) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw new Invalid(field + ": is required, one of " + String.join(", ", sorted(allowed)));
            }
            return fallback;
        }
        if (!node.isString() || !allowed.contains(node.asString())) {
            throw new Invalid(field + ": must be one of " + String.join(", ", sorted(allowed)));
        }
        return node.asString();
    }

    private static long number(JsonNode event, String field, long min, long max, boolean required) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Invalid(field + ": is required");
            }
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new Invalid(field + ": must be a whole number");
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw new Invalid(field + ": must be between " + min + " and " + max);
        }
        return value;
    }

    private static List<String> reasons(JsonNode event) {
        JsonNode node = event.get("p2pReasons");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > 20) {
            throw new Invalid("p2pReasons: must be an array of at most 20 reason codes");
        }
        List<String> reasons = new ArrayList<>(node.size());
        for (JsonNode reason : node) {
            if (!reason.isString() || !REASON.matcher(reason.asString()).matches()) {
                throw new Invalid("p2pReasons: each must be a code like NAT_SYMMETRIC");
            }
            if (!reasons.contains(reason.asString())) {
                reasons.add(reason.asString());
            }
        }
        return reasons;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /** The valid heartbeats, and a rejection for each invalid event. */
    record Parsed(List<Heartbeat> heartbeats, List<IngestResult.Rejection> rejected) {
    }

    private static final class Invalid extends RuntimeException {

        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
