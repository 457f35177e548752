package io.meshcp.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;
import io.meshcp.player.WireCode;
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

    // Checked per character rather than by regular expression: a batch has hundreds of these fields.
    private static final TextRule SESSION = new TextRule("A-Za-z0-9_-", 8, 128);

    private static final TextRule STREAM = new TextRule("A-Za-z0-9_.:-", 1, 128);

    private static final TextRule RENDITION = new TextRule("A-Za-z0-9_.-", 1, 64);

    private static final TextRule REASON_TAIL = new TextRule("A-Z0-9_", 0, 39);

    private static final TextRule LABEL = new TextRule(" -~", 1, 64);

    private static final TextRule INFO_HASH = new TextRule("0-9a-f", 40, 40);

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

    /**
     * The valid heartbeats, in batch order, and a rejection for each invalid one. The batch's {@code sdk} is
     * the default of each event's; one that breaks the rule an event's would (a control character, say) is
     * ignored rather than stored.
     */
    Parsed parse(UUID tenantId, JsonNode events, JsonNode batchSdkNode) {
        Instant now = clock.instant();
        String batchSdk = batchSdkNode != null && batchSdkNode.isString() && LABEL.matches(batchSdkNode.asString())
                ? batchSdkNode.asString() : null;
        List<Heartbeat> valid = new ArrayList<>(events.size());
        List<IngestResult.Rejection> rejected = new ArrayList<>();
        // A batch usually reports one or two streams: each is looked up once.
        Map<String, Optional<StreamView>> batchStreams = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                valid.add(heartbeat(tenantId, events.get(i), batchSdk, now, batchStreams));
            }
            catch (Invalid e) {
                rejected.add(new IngestResult.Rejection(i, e.getMessage()));
            }
        }
        return new Parsed(valid, rejected);
    }

    private Heartbeat heartbeat(UUID tenantId, JsonNode event, String batchSdk, Instant now,
            Map<String, Optional<StreamView>> batchStreams) {
        if (event == null || !event.isObject()) {
            throw new Invalid("an event must be a JSON object");
        }
        UUID eventId = uuid(event, "eventId");
        Instant ts = timestamp(event, now);
        String sessionId = text(event, "sessionId", SESSION, true);
        String streamExternalId = text(event, "streamId", STREAM, true);
        StreamView stream = batchStreams.computeIfAbsent(streamExternalId, id -> streams.byExternalId(tenantId, id))
                .orElseThrow(() -> new Invalid("streamId: unknown stream '" + streamExternalId + "'"));
        String rendition = text(event, "rendition", RENDITION, false);
        String cohort = oneOf(event, "cohort", Cohort.class, null);
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
        String network = oneOf(event, "network", Network.class, Network.UNKNOWN);
        String device = oneOf(event, "device", DeviceClass.class, DeviceClass.DESKTOP);
        String nat = oneOf(event, "nat", NatType.class, NatType.UNKNOWN);
        String player = text(event, "player", LABEL, false);
        String sdk = event.hasNonNull("sdk") ? text(event, "sdk", LABEL, false) : batchSdk;
        List<String> reasons = reasons(event);
        String infoHash = text(event, "infoHash", INFO_HASH, false);
        return new Heartbeat(eventId, ts, sessionId, stream.id(), rendition == null ? "" : rendition, cohort,
                intervalMs, cdnBytes, p2pBytesDown, p2pBytesUp, peers, playMs, rebufferMs, latencyMs, battery,
                charging, network, device, nat, player, sdk, reasons, infoHash);
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
            ts = Iso8601.parseInstant(node.asString());
            if (ts == null) {
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

    private static String text(JsonNode event, String field, TextRule rule, boolean required) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Invalid(field + ": is required");
            }
            return null;
        }
        if (!node.isString() || !rule.matches(node.asString())) {
            throw new Invalid(field + ": must match " + rule);
        }
        return node.asString();
    }

    /** The code of the value the field names, or of {@code fallback} when it names none. */
    private static <E extends Enum<E> & WireCode> String oneOf(JsonNode event, String field, Class<E> type,
            E fallback) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw new Invalid(field + ": is required, one of " + sortedCodes(type));
            }
            return fallback.code();
        }
        if (!node.isString() || WireCode.parse(type, node.asString()).isEmpty()) {
            throw new Invalid(field + ": must be one of " + sortedCodes(type));
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
            if (!reason.isString() || !isReasonCode(reason.asString())) {
                throw new Invalid("p2pReasons: each must be a code like NAT_SYMMETRIC");
            }
            if (!reasons.contains(reason.asString())) {
                reasons.add(reason.asString());
            }
        }
        return reasons;
    }

    /** An upper-case letter, then up to 39 upper-case letters, digits or underscores (NAT_SYMMETRIC). */
    private static boolean isReasonCode(String text) {
        return !text.isEmpty() && text.charAt(0) >= 'A' && text.charAt(0) <= 'Z'
                && REASON_TAIL.matches(text.substring(1));
    }

    private static <E extends Enum<E> & WireCode> String sortedCodes(Class<E> type) {
        return String.join(", ", WireCode.codes(type).stream().sorted().toList());
    }

    /** The valid heartbeats, and a rejection for each invalid event. */
    record Parsed(List<Heartbeat> heartbeats, List<IngestResult.Rejection> rejected) {
    }

    /**
     * Printable-ASCII text of bounded length whose characters are in a class written like a regular
     * expression's ({@code A-Za-z0-9_-}: ranges, then single characters).
     */
    private static final class TextRule {

        private final boolean[] allowed = new boolean[128];

        private final int minLength;

        private final int maxLength;

        private final String description;

        TextRule(String characterClass, int minLength, int maxLength) {
            for (int i = 0; i < characterClass.length(); i++) {
                char c = characterClass.charAt(i);
                if (i + 2 < characterClass.length() && characterClass.charAt(i + 1) == '-') {
                    for (char r = c; r <= characterClass.charAt(i + 2); r++) {
                        allowed[r] = true;
                    }
                    i += 2;
                }
                else {
                    allowed[c] = true;
                }
            }
            this.minLength = minLength;
            this.maxLength = maxLength;
            this.description = "[" + characterClass + "]{" + minLength + "," + maxLength + "}";
        }

        boolean matches(String text) {
            if (text.length() < minLength || text.length() > maxLength) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 128 || !allowed[c]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final class Invalid extends RuntimeException {

        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
