package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.meshcp.accounts.Accounts;
import io.meshcp.alerts.AlertKind;
import io.meshcp.alerts.AlertRuleRequest;
import io.meshcp.alerts.Alerts;
import io.meshcp.accounts.Role;
import io.meshcp.policies.LiveEventRequest;
import io.meshcp.policies.LiveEvents;
import io.meshcp.policies.Policies;
import io.meshcp.policies.PolicyFields;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.paging.Cursor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import io.meshcp.webhooks.EndpointRequest;
import io.meshcp.webhooks.Webhooks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every operation in the OpenAPI document, called as a client would (a valid request), and then as clients get it
 * wrong: each body field removed, null, of the wrong type, huge, negative or nested garbage; malformed JSON and the
 * wrong content type; unknown ids, another tenant's ids and malformed path values; each query parameter missing,
 * empty, mistyped, huge or not valid percent-encoding; bad If-Match and Accept headers. None may answer a 5xx, and
 * another tenant's ids in a path never answer a 2xx. Requests go over raw sockets, so that nothing on the client's
 * side tidies them up; the mutations are a fixed list, so every run sends the same requests. All failures are
 * reported together, each with its request.
 */
@IntegrationTest
class ApiMutationSweepTests {

    // Non-ASCII goes out escaped, so that a lone surrogate can be sent at all.
    static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final String UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

    /** Path values as clients mangle them, percent-encoded as they would be sent. */
    static final List<String> BAD_PATH_VALUES = List.of("not-a-uuid", "%00", "%zz", "%C0%AF", "..%2F..%2Ftenant", "-1",
            "2147483648", "1.5", "%20", "a".repeat(3_000));

    /** Query values as clients mangle them, percent-encoded as they would be sent. */
    static final List<String> BAD_QUERY_VALUES = List.of("", "not-a-value", "x".repeat(2_000), "99999999999999999999",
            "-1", "-2147483649", "1e309", "null", "%zz", "%00", "%E0%A4%A");

    static final List<String> BAD_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/json; charset=bogus", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded");

    static final List<byte[]> BAD_BODIES = List.of(bytes(""), bytes("null"), bytes("[]"), bytes("{"),
            bytes("{\"a\":"), bytes("{}{}"), bytes("\"text\""), bytes("[".repeat(5_000)),
            bytes(" ".repeat(100_000) + "{}"), new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'},
            bytes("\uFEFF{}"));

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @Autowired
    LiveEvents liveEvents;

    @Autowired
    Policies policies;

    @Autowired
    Accounts accounts;

    @Autowired
    Webhooks webhooks;

    @Autowired
    Alerts alerts;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);

    int created;

    @Test
    void noMutationOfAValidRequestToAnyOperationAnswersA5xx() throws IOException {
        Tenant mine = tenant();
        Tenant theirs = tenant();
        JsonNode document = JSON.readTree(send(new Call("GET", "/v3/api-docs", "the API document")).body());
        List<String> failures = new ArrayList<>();
        List<String> unsuccessful = new ArrayList<>();
        int operations = 0;
        int requests = 0;

        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                String method = entry.getKey().toUpperCase(Locale.ROOT);
                JsonNode operation = entry.getValue();
                // A key per operation: the sweep sends several times a key's rate limit in all.
                // An ADMIN key, which may call every operation.
                mine = new Tenant(mine.id(), fixtures.secretKey(mine.id(), Role.ADMIN).key(), mine.publishableKey());
                Resources resources = resources(mine, path.getKey());
                Resources others = resources(theirs, path.getKey());
                Call valid = validCall(method, path.getKey(), operation, mine, resources);
                operations++;
                for (String accept : acceptedTypes(operation)) {
                    Call call = valid.copy("valid, Accept: " + accept);
                    call.headers.put("Accept", accept);
                    Answer answer = send(call);
                    requests++;
                    check(call, answer, failures);
                    if (answer.status() >= 300) {
                        unsuccessful.add(call.describe() + " -> " + answer.summary());
                    }
                }
                for (Call mutated : mutations(valid, operation, resources, others)) {
                    Answer answer = send(mutated);
                    requests++;
                    check(mutated, answer, failures);
                    if (mutated.othersId && answer.status() < 300) {
                        failures.add("another tenant's id answered " + answer.status() + ": " + mutated.describe());
                    }
                }
            }
        }

        assertThat(operations).as("operations in the document").isGreaterThan(30);
        assertThat(unsuccessful).as("valid requests that did not succeed (%d requests sent)", requests).isEmpty();
        assertThat(failures).as("%d of %d requests failed", failures.size(), requests).isEmpty();
    }

    private static void check(Call call, Answer answer, List<String> failures) {
        if (answer.status() >= 500 || answer.status() == 0) {
            failures.add(call.describe() + " -> " + answer.summary());
        }
    }

    /** The request a careful client sends: every declared parameter with a sensible value, a known-good body. */
    private Call validCall(String method, String path, JsonNode operation, Tenant tenant, Resources resources) {
        Call call = new Call(method, path, "valid");
        boolean secured = !operation.has("security") || !operation.get("security").isEmpty();
        if (secured) {
            call.headers.put("Authorization", "Bearer " + tenant.secretKey());
        }
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.get("name").asString();
            String in = parameter.get("in").asString();
            String value = validValue(name, path, parameter.path("schema"), tenant, resources);
            switch (in) {
                case "path" -> call.pathValues.put(name, encode(value));
                case "query" -> call.query.put(name, encode(value));
                case "header" -> call.headers.put(name, name.equals("If-Match") ? etag(path, tenant, resources)
                        : value);
                default -> throw new IllegalStateException("a parameter in " + in + ": " + name);
            }
        }
        JsonNode body = validBody(method, path, operation, resources);
        if (body != null) {
            call.json = body;
            call.headers.put("Content-Type", "application/json");
        }
        return call;
    }

    /** The current ETag of the policy a path changes, for its If-Match. */
    private String etag(String path, Tenant tenant, Resources resources) {
        return path.startsWith("/api/v1/streams/") ? policies.streamPolicy(tenant.id(), resources.streamId()).etag()
                : policies.tenantPolicy(tenant.id()).etag();
    }

    private String validValue(String name, String path, JsonNode schema, Tenant tenant, Resources resources) {
        return switch (name) {
            case "id" -> resources.id(path).toString();
            case "userId" -> resources.memberId().toString();
            case "deliveryId" -> resources.deliveryId().toString();
            case "streamId" -> resources.streamId().toString();
            case "externalId", "stream" -> resources.externalId();
            case "version" -> "1";
            case "file" -> "meshcp.js";
            case "key", "X-Mesh-Key" -> tenant.publishableKey();
            case "from" -> now.minus(1, ChronoUnit.DAYS).toString();
            case "to" -> now.toString();
            case "zone" -> "Europe/Paris";
            case "granularity" -> "hour";
            case "breakdown" -> "cohort";
            case "rendition" -> "720p";
            case "cohort" -> "p2p";
            case "device" -> "mobile";
            case "network" -> "wifi";
            case "nat" -> "symmetric";
            case "battery" -> "0.8";
            case "charging" -> "false";
            case "session" -> "sweep-session-0001";
            // A cursor as a page gives it out: the audit log's by instant and id, streams' by name and id.
            case "cursor" -> path.startsWith("/api/v1/audit-events") ? Cursor.encode(now.toString(), "1")
                    : Cursor.encode("sweep", resources.streamId().toString());
            // A key of its own for every request: one key with two requests is refused (422) by design.
            case "Idempotency-Key" -> UUID.randomUUID().toString();
            case "state" -> "upcoming";
            case "type" -> "STREAM_CREATED";
            case "q" -> "sweep";
            case "page" -> "0";
            case "size" -> "50";
            // A parameter whose document lists its values takes the first of them.
            default -> schema.has("enum") ? schema.get("enum").get(0).asString()
                    : switch (schema.path("type").asString("string")) {
                        case "integer", "number" -> "1";
                        case "boolean" -> "true";
                        default -> "uuid".equals(schema.path("format").asString("")) ? resources.streamId().toString()
                                : "x";
                    };
        };
    }

    /** A known-good body for each request schema; an operation taking one not listed here fails the sweep. */
    private JsonNode validBody(String method, String path, JsonNode operation, Resources resources) {
        if (path.equals("/v1/telemetry")) {
            return JSON.readTree("""
                    {"batchId": "0f6b2c1e-8d3a-4b5c-9e7f-1a2b3c4d5e6f", "sdk": "meshcp-js/1.0", "events": [
                     {"eventId": "6f1d3c2b-1a4e-4f5b-8c7d-9e0a1b2c3d4e", "ts": "%s", "sessionId": "sweep-session-0001",
                      "streamId": "%s", "rendition": "720p", "cohort": "p2p", "intervalMs": 10000, "cdnBytes": 1000,
                      "p2pBytesDown": 3000, "p2pBytesUp": 500, "peers": 3, "playMs": 9800, "rebufferMs": 200,
                      "latencyMs": 2500, "battery": 0.8, "charging": false, "network": "wifi", "device": "mobile",
                      "nat": "port-restricted", "player": "hls.js 1.5", "p2pReasons": ["CELLULAR_UPLOAD_OFF"],
                      "infoHash": "4c7f1b2e9a0d3c5b6e8f7a1d2c3b4a5968778695"}]}"""
                    .formatted(Instant.now(), resources.externalId()));
        }
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isMissingNode()) {
            return null;
        }
        String schema = content.path("application/json").path("schema").path("$ref").asString("");
        String name = schema.substring(schema.lastIndexOf('/') + 1);
        return switch (name) {
            case "StreamRequest" -> JSON.readTree("""
                    {"externalId": "sweep-new-%d", "name": "Sweep", "kind": "LIVE", "renditions": [{"id": "720p",
                     "bitrate": 3000000, "resolution": "1280x720"}], "manifestUrl": "https://cdn.example.com/live.m3u8",
                     "sensitive": false}""".formatted(++created));
            case "TenantSettingsChange" -> JSON.readTree("""
                    {"cdnPricePerGb": 0.03, "currency": "EUR", "telemetryRetentionDays": 30}""");
            case "PolicyFields" -> JSON.readTree("""
                    {"p2pEnabled": true, "latencyBudgetMs": 4000, "maxPeers": {"desktop": 8, "mobile": 3, "tv": 6},
                     "uploadOnCellular": false, "minBatteryForUpload": 0.3, "uploadWhenCharging": true,
                     "mobileDownloadOnly": false, "minSwarmSize": 2, "holdoutPercent": 5}""");
            case "LiveEventRequest" -> JSON.readTree("""
                    {"streamId": "%s", "name": "Final", "startsAt": "%s", "endsAt": "%s",
                     "overrides": {"latencyBudgetMs": 3000, "maxPeers": {"mobile": 2}}}""".formatted(
                    resources.streamId(), now.plus(3, ChronoUnit.DAYS),
                    now.plus(3, ChronoUnit.DAYS).plusSeconds(7_200)));
            case "KillSwitchRequest" -> JSON.readTree("{\"reason\": \"the sweep\"}");
            case "KeyRequest" -> JSON.readTree("""
                    {"kind": "SECRET", "name": "sweep", "role": "VIEWER", "expiresAt": "%s"}""".formatted(
                    now.plus(30, ChronoUnit.DAYS)));
            case "RotateRequest" -> JSON.readTree("{\"graceHours\": 1}");
            case "EndpointRequest" -> JSON.readTree("""
                    {"url": "https://hooks.example.invalid/sweep", "description": "sweep",
                     "events": ["kill_switch.engaged"], "enabled": true}""");
            case "SecretRotation" -> JSON.readTree("{\"overlapHours\": 1}");
            case "AlertRuleRequest" -> JSON.readTree("""
                    {"kind": "OFFLOAD_BELOW", "threshold": 0.3, "forMinutes": 10, "enabled": true}""");
            case "GuardSettings" -> JSON.readTree("""
                    {"enabled": true, "margin": 0.01, "windowMinutes": 30, "minSessions": 100,
                     "releaseAfterMinutes": 60}""");
            case "RoleChange" -> JSON.readTree("{\"role\": \"OPS\"}");
            case "InvitationRequest" -> JSON.readTree("{\"email\": \"sweep-%d@example.com\", \"role\": \"VIEWER\"}"
                    .formatted(++created));
            default -> throw new IllegalStateException(method + " " + path + " takes a " + schema
                    + ": add a known-good body for it");
        };
    }

    private static List<String> acceptedTypes(JsonNode operation) {
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, JsonNode> response : operation.path("responses").properties()) {
            if (!response.getKey().startsWith("2")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> type : response.getValue().path("content").properties()) {
                if (!types.contains(type.getKey())) {
                    types.add(type.getKey());
                }
            }
        }
        return types.isEmpty() ? List.of("*/*") : types;
    }

    private List<Call> mutations(Call valid, JsonNode operation, Resources resources, Resources others) {
        List<Call> calls = new ArrayList<>();
        for (String name : valid.pathValues.keySet()) {
            String unknown = switch (name) {
                case "externalId" -> "no-such-stream";
                case "version" -> "999";
                case "file" -> "no-such-file.js";
                default -> UNKNOWN_ID;
            };
            calls.add(valid.copy("unknown " + name).withPath(name, unknown));
            String theirs = switch (name) {
                case "id" -> others.id(valid.path).toString();
                case "userId" -> others.memberId().toString();
                case "streamId" -> others.streamId().toString();
                case "externalId" -> others.externalId();
                default -> null;
            };
            if (theirs != null) {
                Call call = valid.copy("another tenant's " + name).withPath(name, theirs);
                call.othersId = true;
                calls.add(call);
            }
            for (String bad : BAD_PATH_VALUES) {
                calls.add(valid.copy(name + " = " + abbreviate(bad)).withPath(name, bad));
            }
        }
        for (String name : valid.query.keySet()) {
            calls.add(valid.copy("without " + name).withoutQuery(name));
            for (String bad : BAD_QUERY_VALUES) {
                calls.add(valid.copy(name + " = " + abbreviate(bad)).withQuery(name, bad));
            }
            calls.add(valid.copy(name + " twice").withQuery(name, valid.query.get(name) + "&" + name + "=x"));
            if (name.equals("streamId")) {
                calls.add(valid.copy("another tenant's streamId").withQuery(name, others.streamId().toString()));
            }
        }
        calls.add(valid.copy("an unknown parameter").withQuery("unknown", "1"));
        if (valid.headers.containsKey("If-Match")) {
            for (String bad : List.of("garbage", "*", "W/\"v1\"", "\"v999\"", "")) {
                Call call = valid.copy("If-Match: " + bad);
                call.headers.put("If-Match", bad);
                calls.add(call);
            }
            calls.add(valid.copy("without If-Match").withoutHeader("If-Match"));
        }
        for (String accept : List.of("application/xml", "text/html", "garbage")) {
            Call call = valid.copy("Accept: " + accept);
            call.headers.put("Accept", accept);
            calls.add(call);
        }
        calls.add(valid.copy("without credentials").withoutHeader("Authorization"));
        if (valid.json != null) {
            for (List<Object> field : fields(valid.json, new ArrayList<>())) {
                for (Map.Entry<String, JsonNode> bad : badValues(at(valid.json, field)).entrySet()) {
                    Call call = valid.copy(describe(field) + " " + bad.getKey());
                    call.json = replaced(valid.json, field, bad.getValue());
                    calls.add(call);
                }
            }
            for (byte[] bad : BAD_BODIES) {
                Call call = valid.copy("body " + abbreviate(new String(bad, StandardCharsets.ISO_8859_1)));
                call.json = null;
                call.raw = bad;
                calls.add(call);
            }
            for (String type : BAD_CONTENT_TYPES) {
                Call call = valid.copy("Content-Type: " + type);
                call.headers.put("Content-Type", type);
                calls.add(call);
            }
            calls.add(valid.copy("without Content-Type").withoutHeader("Content-Type"));
        }
        else if (operation.has("requestBody") || valid.method.equals("POST") || valid.method.equals("PUT")) {
            Call call = valid.copy("an unexpected body");
            call.raw = bytes("{\"unexpected\": [1, 2, 3]}");
            call.headers.put("Content-Type", "application/json");
            calls.add(call);
        }
        return calls;
    }

    /**
     * Each field of a body as a path of names and indices, including the whole of each object and array (its
     * members too: the first element of arrays, which stands for the others).
     */
    private static List<List<Object>> fields(JsonNode node, List<Object> at) {
        List<List<Object>> fields = new ArrayList<>();
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                List<Object> path = new ArrayList<>(at);
                path.add(member.getKey());
                fields.add(path);
                fields.addAll(fields(member.getValue(), path));
            }
        }
        else if (node instanceof ArrayNode array && !array.isEmpty()) {
            List<Object> path = new ArrayList<>(at);
            path.add(0);
            fields.add(path);
            fields.addAll(fields(array.get(0), path));
        }
        return fields;
    }

    /** What a field may wrongly be: absent (null here), null, of each wrong type, huge, negative, nested garbage. */
    private static Map<String, JsonNode> badValues(JsonNode value) {
        Map<String, JsonNode> bad = new LinkedHashMap<>();
        bad.put("removed", null);
        bad.put("null", NODES.nullNode());
        bad.put(value.isString() ? "a number" : "a string", value.isString() ? NODES.numberNode(12345)
                : NODES.stringNode("12"));
        bad.put(value.isBoolean() ? "an array" : "a boolean", value.isBoolean() ? NODES.arrayNode()
                : NODES.booleanNode(true));
        bad.put(value.isObject() ? "an array" : "an object", value.isObject() ? NODES.arrayNode().add(1)
                : NODES.objectNode().put("a", 1));
        bad.put("huge text", NODES.stringNode("x".repeat(10_000)));
        bad.put("text with a NUL and a lone surrogate", NODES.stringNode("a\u0000b\uD800c"));
        bad.put("a huge number", NODES.numberNode(new BigInteger("9".repeat(40))));
        bad.put("1e300", NODES.numberNode(1e300));
        bad.put("-1", NODES.numberNode(-1));
        bad.put("the smallest long", NODES.numberNode(Long.MIN_VALUE));
        bad.put("1.5", NODES.numberNode(1.5));
        bad.put("nested garbage", JSON.readTree("{\"a\": [{\"b\": [1, {\"c\": null}]}], \"d\": [[[[[\"e\"]]]]]}"));
        return bad;
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) {
            node = step instanceof Integer index ? node.get(index) : node.get((String) step);
        }
        return node;
    }

    /** A copy of the body with the field at {@code path} replaced, or removed when {@code value} is null. */
    private static JsonNode replaced(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode copy = root.deepCopy();
        ContainerNode<?> parent = (ContainerNode<?>) at(copy, path.subList(0, path.size() - 1));
        Object last = path.getLast();
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove((String) last);
            }
            else {
                object.set((String) last, value);
            }
        }
        else if (parent instanceof ArrayNode array) {
            if (value == null) {
                array.remove((Integer) last);
            }
            else {
                array.set((Integer) last, value);
            }
        }
        return copy;
    }

    private static String describe(List<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object step : path) {
            text.append(step instanceof Integer index ? "[" + index + "]" : (text.isEmpty() ? "" : ".") + step);
        }
        return text.toString();
    }

    private Tenant tenant() {
        UUID id = fixtures.tenant().id();
        // A tenant default with a version 1, for the restore operations.
        policies.replaceTenantPolicy(id, new PolicyFields(null, 5_000, null, null, null, null, null, null, null),
                "\"v0\"", Actor.SYSTEM);
        return new Tenant(id, fixtures.secretKey(id, Role.ADMIN).key(), fixtures.publishableKey(id).key());
    }

    /** A stream with a policy version 1 and a live event of its own, for one operation to use up. */
    private Resources resources(Tenant tenant, String path) {
        String externalId = "sweep-" + tenant.id().toString().substring(0, 8) + "-" + ++created;
        UUID streamId = streams.create(tenant.id(), new StreamRequest(externalId, "Sweep", StreamKind.LIVE, List.of(),
                null, false), Actor.SYSTEM).id();
        policies.replaceStreamPolicy(tenant.id(), streamId, new PolicyFields(null, 5_000, null, null, null, null, null,
                null, null), "\"v0\"", Actor.SYSTEM);
        Instant startsAt = now.plus(1, ChronoUnit.DAYS);
        UUID eventId = liveEvents.create(tenant.id(), new LiveEventRequest(streamId, "Sweep", startsAt,
                startsAt.plusSeconds(3_600), new PolicyFields(null, 3_000, null, null, null, null, null, null, null)),
                Actor.SYSTEM).id();
        // A key, an invitation and a member only for the operations on them: joining hashes a password.
        UUID keyId = path.startsWith("/api/v1/keys/") ? fixtures.secretKey(tenant.id(), Role.VIEWER).view().id() : null;
        UUID ownerId = accounts.members(tenant.id()).get(0).userId();
        UUID invitationId = path.startsWith("/api/v1/invitations/") ? accounts.invite(tenant.id(), ownerId,
                "invited-" + ++created + "@example.com", Role.VIEWER, Actor.SYSTEM).invitation().id() : null;
        UUID memberId = null;
        if (path.startsWith("/api/v1/members/")) {
            String email = "member-" + UUID.randomUUID() + "@example.com";
            accounts.acceptInvitation(accounts.invite(tenant.id(), ownerId, email, Role.VIEWER, Actor.SYSTEM).token(),
                    "Sweep Member", Fixtures.PASSWORD, Actor.SYSTEM);
            memberId = accounts.members(tenant.id()).stream().filter(member -> member.email().equals(email))
                    .findFirst().orElseThrow().userId();
        }
        // A webhook endpoint only for the operations on one; its name never resolves, which saving allows.
        UUID webhookId = path.startsWith("/api/v1/webhooks/") ? webhooks.create(tenant.id(), new EndpointRequest(
                "https://hooks.example.invalid/sweep", null, List.of("api_key.created"), true), Actor.SYSTEM)
                .endpoint().id() : null;
        Long deliveryId = webhookId == null ? null : webhooks.sendTestEvent(tenant.id(), webhookId, Actor.SYSTEM).id();
        UUID alertRuleId = path.startsWith("/api/v1/alert-rules/") ? alerts.create(tenant.id(), new AlertRuleRequest(
                null, AlertKind.NO_HEARTBEATS, 0.0, 5, true), Actor.SYSTEM).id() : null;
        return new Resources(streamId, externalId, eventId, keyId, invitationId, memberId, webhookId, deliveryId,
                alertRuleId);
    }

    /** One request over a raw socket, closed after the answer. */
    private Answer send(Call call) throws IOException {
        byte[] body = call.body();
        StringBuilder head = new StringBuilder(call.method).append(' ').append(call.target())
                .append(" HTTP/1.1\r\nHost: localhost\r\n");
        call.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            }
            catch (IOException e) {
                // The server may answer and close before it has read a body it refuses: its answer still counts.
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            }
            catch (IOException e) {
                if (answer.size() == 0) {
                    return new Answer(0, "no answer: " + e);
                }
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12))
                    : 0;
            int start = text.indexOf("\r\n\r\n");
            return new Answer(status, start < 0 ? text : text.substring(start + 4));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return abbreviate(text, 40);
    }

    private static String abbreviate(String text, int length) {
        String shown = text.length() > length ? text.substring(0, length) + "... (" + text.length() + " characters)"
                : text;
        return shown.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    record Tenant(UUID id, String secretKey, String publishableKey) {
    }

    record Resources(UUID streamId, String externalId, UUID eventId, UUID keyId, UUID invitationId, UUID memberId,
            UUID webhookId, Long deliveryId, UUID alertRuleId) {

        /** What {@code {id}} names in the path. */
        UUID id(String path) {
            return path.startsWith("/api/v1/live-events") ? eventId : path.startsWith("/api/v1/keys")
                    ? keyId : path.startsWith("/api/v1/invitations") ? invitationId
                    : path.startsWith("/api/v1/webhooks") ? webhookId
                    : path.startsWith("/api/v1/alert-rules") ? alertRuleId : streamId;
        }
    }

    record Answer(int status, String body) {

        String summary() {
            return status + " " + abbreviate(body, 300);
        }
    }

    /** A request being built: path and query values are kept percent-encoded, as they go on the wire. */
    static final class Call {

        final String method;

        final String path;

        final String label;

        final Map<String, String> pathValues = new LinkedHashMap<>();

        final Map<String, String> query = new LinkedHashMap<>();

        final Map<String, String> headers = new LinkedHashMap<>();

        JsonNode json;

        byte[] raw;

        boolean othersId;

        Call(String method, String path, String label) {
            this.method = method;
            this.path = path;
            this.label = label;
        }

        Call copy(String label) {
            Call copy = new Call(method, path, label);
            copy.pathValues.putAll(pathValues);
            copy.query.putAll(query);
            copy.headers.putAll(headers);
            copy.json = json;
            copy.raw = raw;
            return copy;
        }

        Call withPath(String name, String value) {
            pathValues.put(name, value);
            return this;
        }

        Call withQuery(String name, String value) {
            query.put(name, value);
            return this;
        }

        Call withoutQuery(String name) {
            query.remove(name);
            return this;
        }

        Call withoutHeader(String name) {
            headers.remove(name);
            return this;
        }

        byte[] body() {
            return json != null ? JSON.writeValueAsBytes(json) : raw;
        }

        String target() {
            String target = path;
            for (Map.Entry<String, String> value : pathValues.entrySet()) {
                target = target.replace("{" + value.getKey() + "}", value.getValue());
            }
            StringBuilder query = new StringBuilder();
            this.query.forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&").append(name).append('=')
                    .append(value));
            return target + query;
        }

        String describe() {
            byte[] body = body();
            return method + " " + path + " (" + label + "): " + abbreviate(target(), 200) + (body == null ? ""
                    : " " + abbreviate(new String(body, StandardCharsets.UTF_8), 200));
        }
    }
}
