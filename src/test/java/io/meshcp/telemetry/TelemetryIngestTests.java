package io.meshcp.telemetry;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.TenantSettings;
import io.meshcp.accounts.TenantView;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class TelemetryIngestTests {

    static final String ORIGIN = "https://player.example.com";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApiKeys apiKeys;

    JdbcTemplate jdbc = TestDatabase.owner();

    @Autowired
    Accounts accounts;

    Http http;

    Fixtures.Tenant tenant;

    String secret;

    String publishable;

    UUID streamId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        secret = fixtures.secretKey(tenant.id()).key();
        publishable = apiKeys.create(tenant.id(), new NewKey(KeyKind.PUBLISHABLE, "web", List.of(ORIGIN), null),
                Actor.SYSTEM).key();
        streamId = UUID.fromString(http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE", "renditions": [{"id": "720p"}]}""",
                bearer(secret)).json().get("id").asString());
    }

    @Test
    void acceptedEventsAreCommittedBeforeTheAnswer() {
        Response response = send(batch(event(UUID.randomUUID(), Instant.now(), "session-aaaa"),
                event(UUID.randomUUID(), Instant.now(), "session-bbbb")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(response.json().get("duplicates").asInt()).isZero();
        assertThat(response.json().get("rejected")).isEmpty();
        assertThat(rawCount()).as("stored by the time the answer arrives").isEqualTo(2);
        Map<String, Object> row = jdbc.queryForMap(
                "select stream_id, rendition, cohort, cdn_bytes, p2p_bytes_down, device, nat, p2p_reasons::text reasons "
                        + "from telemetry_events where tenant_id = ? and session_id = 'session-aaaa'", tenant.id());
        assertThat(row.get("stream_id")).isEqualTo(streamId);
        assertThat(row).containsEntry("rendition", "720p").containsEntry("cohort", "p2p")
                .containsEntry("cdn_bytes", 1000L).containsEntry("p2p_bytes_down", 3000L)
                .containsEntry("device", "mobile").containsEntry("nat", "port-restricted")
                .containsEntry("reasons", "{CELLULAR_UPLOAD_OFF}");
    }

    @Test
    void replaysAndOverlappingBatchesCountOnce() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        assertThat(send(batch(event(a, now, "session-one1"), event(b, now, "session-two2"))).json()
                .get("accepted").asInt()).isEqualTo(2);

        JsonNode replay = send(batch(event(a, now, "session-one1"), event(b, now, "session-two2"))).json();
        assertThat(replay.get("accepted").asInt()).isZero();
        assertThat(replay.get("duplicates").asInt()).isEqualTo(2);

        JsonNode overlap = send(batch(event(b, now, "session-two2"), event(c, now, "session-thr3"),
                event(c, now, "session-thr3"))).json();
        assertThat(overlap.get("accepted").asInt()).isEqualTo(1);
        assertThat(overlap.get("duplicates").asInt()).isEqualTo(2);

        assertThat(rawCount()).isEqualTo(3);
        assertThat(jdbc.queryForObject("select sum(events) from telemetry_minute where tenant_id = ?", Long.class,
                tenant.id())).as("the sums count each event once too").isEqualTo(3);
    }

    @Test
    void theSameBatchSentConcurrentlyIsStoredOnce() throws Exception {
        Instant now = Instant.now();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event(UUID.randomUUID(), now, "session-c" + String.format("%04d", i)));
        }
        String body = batch(events.toArray(String[]::new));
        List<Callable<Integer>> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            senders.add(() -> send(body).json().get("accepted").asInt());
        }
        int accepted = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> result : pool.invokeAll(senders)) {
                accepted += result.get();
            }
        }

        assertThat(accepted).isEqualTo(50);
        assertThat(rawCount()).isEqualTo(50);
        assertThat(jdbc.queryForObject("select sum(events) from telemetry_hour where tenant_id = ?", Long.class,
                tenant.id())).isEqualTo(50);
    }

    @Test
    void invalidEventsAreRejectedOneByOneWithTheirReasonAndTheRestIsStored() {
        Instant now = Instant.now();
        String valid = event(UUID.randomUUID(), now, "session-good");
        Response response = send(batch(
                valid.replace("\"cdnBytes\": 1000", "\"cdnBytes\": \"1000\""),
                valid.replace("\"cdnBytes\": 1000", "\"cdnBytes\": -5"),
                valid.replace("\"streamId\": \"final\"", "\"streamId\": \"no-such-stream\""),
                event(UUID.randomUUID(), now.plus(1, ChronoUnit.HOURS), "session-late"),
                event(UUID.randomUUID(), now.minus(3, ChronoUnit.DAYS), "session-oldd"),
                valid.replace("\"eventId\"", "\"id\""),
                "42",
                valid.replace("\"cohort\": \"p2p\"", "\"cohort\": \"everyone\""),
                valid.replace("\"battery\": 0.8", "\"battery\": 1.5"),
                valid));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        List<String> reasons = new ArrayList<>();
        body.get("rejected").forEach(r -> reasons.add(r.get("index").asInt() + " " + r.get("reason").asString()));
        assertThat(reasons).containsExactly(
                "0 cdnBytes: must be a whole number",
                "1 cdnBytes: must be between 0 and 1000000000000",
                "2 streamId: unknown stream 'no-such-stream'",
                "3 ts: is in the future",
                "4 ts: is too old (more than 48 hours)",
                "5 eventId: is required, a UUID",
                "6 an event must be a JSON object",
                "7 cohort: must be one of holdout, p2p",
                "8 battery: must be a number between 0 and 1");
        assertThat(rawCount()).isEqualTo(1);
    }

    @Test
    void aBatchSdkWithAControlCharacterIsIgnoredAndIngestGoesOn() {
        // A zero byte would fail the COPY of every batch committed with this one, for every tenant.
        UUID eventId = UUID.randomUUID();
        Response poisoned = send(batch(event(eventId, Instant.now(), "session-nul"))
                .replace("\"sdk\": \"meshcp-js/1.0\"", "\"sdk\": \"bad\\u0000sdk\""));

        assertThat(poisoned.status()).isEqualTo(200);
        assertThat(poisoned.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select sdk from telemetry_events where event_id = ?", String.class, eventId))
                .isNull();
        assertThat(send(batch(event(UUID.randomUUID(), Instant.now(), "session-after"))).status()).isEqualTo(200);
    }

    @Test
    void malformedBodiesAnswer400AndStoreNothing() {
        assertThat(send("{\"events\": [").status()).isEqualTo(400);
        assertThat(send("[1, 2]").status()).isEqualTo(400);
        Response missing = send("{\"batchId\": \"b1\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("type").asString()).isEqualTo("urn:meshcp:problem:validation");
        assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("events");
        assertThat(rawCount()).isZero();
    }

    @Test
    void oversizeBodiesAndBatchesAnswer413AndStoreNothing() {
        Instant now = Instant.now();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            events.add(event(UUID.randomUUID(), now, "session-x" + String.format("%04d", i)));
        }
        Response tooMany = send(batch(events.toArray(String[]::new)));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.json().get("type").asString()).isEqualTo("urn:meshcp:problem:payload-too-large");

        String padded = "{\"batchId\": \"" + "x".repeat(1_100_000) + "\", \"events\": ["
                + event(UUID.randomUUID(), now, "session-big1") + "]}";
        assertThat(send(padded).status()).isEqualTo(413);
        assertThat(rawCount()).isZero();
    }

    @Test
    void sendBeaconsTextPlainIsTakenAndOtherContentTypesAre415() {
        String body = batch(event(UUID.randomUUID(), Instant.now(), "session-beac"));
        Response beacon = http.send(HttpRequest.newBuilder(URI.create(url(publishable)))
                .header("Content-Type", "text/plain;charset=UTF-8").header("Origin", ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(beacon.status()).isEqualTo(200);
        assertThat(beacon.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);

        Response xml = http.send(HttpRequest.newBuilder(URI.create(url(publishable)))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(xml.status()).isEqualTo(415);
        assertThat(rawCount()).isEqualTo(1);
    }

    @Test
    void aBrowserPreflightIsAnsweredSoJsonBatchesCanBeSent() {
        Response preflight = http.send(HttpRequest.newBuilder(URI.create(url(publishable)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"));

        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
    }

    @Test
    void aBrowserCanReadRetryAfterOnRefusals() {
        Response refused = http.send(HttpRequest.newBuilder(URI.create(url(publishable)))
                .header("Content-Type", "application/json").header("Origin", ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\": [")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(refused.header("Access-Control-Expose-Headers")).containsIgnoringCase("Retry-After");
    }

    @Test
    void aBrowserCanReadWhyItsKeyWasRefused() {
        // The key is checked before the endpoint runs; the refusal still carries the CORS headers, so a player in a
        // page learns that its key is revoked rather than seeing a network error.
        Response refused = http.send(HttpRequest.newBuilder(URI.create(url("mesh_pk_unknown")))
                .header("Content-Type", "application/json").header("Origin", ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofString(batch(event(UUID.randomUUID(), Instant.now(),
                        "session-cors")))));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asString()).contains("unknown, revoked or expired");
        assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(rawCount()).isZero();
    }

    @Test
    void theKeyIsNeverTakenFromAFormBody() {
        // Only the query and the X-Mesh-Key header name the key; a form body is not parsed for one.
        Response form = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/telemetry"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + publishable)));

        assertThat(form.status()).isEqualTo(401);
        assertThat(form.json().get("detail").asString()).contains("publishable key");
    }

    @Test
    void keysAreCheckedAndTheTenantComesFromTheKey() {
        String body = batch(event(UUID.randomUUID(), Instant.now(), "session-keys"));
        assertThat(http.post("/v1/telemetry", body).status()).isEqualTo(401);
        assertThat(http.post("/v1/telemetry?key=" + secret, body).status()).as("a secret key").isEqualTo(401);
        assertThat(http.post("/v1/telemetry?key=mesh_pk_unknown", body).status()).isEqualTo(401);
        assertThat(http.post("/v1/telemetry?key=" + publishable, body, "Origin", "https://evil.example.net").status())
                .isEqualTo(403);
        assertThat(rawCount()).isZero();

        Response viaHeader = http.post("/v1/telemetry", body, "X-Mesh-Key", publishable);
        assertThat(viaHeader.status()).isEqualTo(200);

        // Another tenant's stream is unknown to this key, whatever the body says about tenants.
        Fixtures.Tenant other = fixtures.tenant();
        String otherPublishable = apiKeys.create(other.id(), new NewKey(KeyKind.PUBLISHABLE, "web", List.of(), null),
                Actor.SYSTEM).key();
        JsonNode foreign = http.post("/v1/telemetry?key=" + otherPublishable,
                batch(event(UUID.randomUUID(), Instant.now(), "session-frgn")
                        .replace("{", "{\"tenantId\": \"" + tenant.id() + "\", "))).json();
        assertThat(foreign.get("accepted").asInt()).isZero();
        assertThat(foreign.get("rejected").get(0).get("reason").asString()).contains("unknown stream");
        assertThat(rawCount()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from telemetry_events where tenant_id = ?", Integer.class,
                other.id())).isZero();
    }

    @Test
    void everySumsTableEqualsAggregatesOfTheRawRowsUnderReplaysAndLateEvents() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.MINUTES);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String event = event(UUID.randomUUID(), base.plusSeconds(i * 7L), "session-s" + (i % 5) + "xxxx")
                    .replace("\"cdnBytes\": 1000", "\"cdnBytes\": " + (1000 + i))
                    .replace("\"latencyMs\": 2500", i % 3 == 0 ? "\"latencyMs\": null" : "\"latencyMs\": " + (2000 + i));
            if (i % 3 == 0) {
                event = event.replace("\"device\": \"mobile\"", "\"device\": \"desktop\"")
                        .replace("\"network\": \"wifi\"", "\"network\": \"ethernet\"")
                        .replace("\"nat\": \"port-restricted\"", "\"nat\": \"symmetric\"");
            }
            if (i % 4 == 0) {
                event = event.replace("\"cohort\": \"p2p\"", "\"cohort\": \"holdout\"")
                        .replace("[\"CELLULAR_UPLOAD_OFF\"]", "[\"HOLDOUT_COHORT\", \"NAT_SYMMETRIC\"]");
            }
            events.add(event);
        }
        assertThat(send(batch(events.toArray(String[]::new))).json().get("accepted").asInt()).isEqualTo(40);
        // A client catching up: a quarter of the batch again, and two late heartbeats for buckets long summed.
        List<String> later = new ArrayList<>(events.subList(30, 40));
        later.add(event(UUID.randomUUID(), base.minus(2, ChronoUnit.HOURS), "session-late1"));
        later.add(event(UUID.randomUUID(), base.minus(30, ChronoUnit.HOURS), "session-late2"));
        Response catchingUp = send(batch(later.toArray(String[]::new)));
        assertThat(catchingUp.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(catchingUp.json().get("duplicates").asInt()).isEqualTo(10);

        String raw = """
                select date_trunc('%s', ts) bucket, cohort, count(*) events, sum(interval_ms) viewer_ms,
                    sum(cdn_bytes) cdn_bytes, sum(p2p_bytes_down) p2p_bytes_down, sum(p2p_bytes_up) p2p_bytes_up,
                    sum(play_ms) play_ms, sum(rebuffer_ms) rebuffer_ms, coalesce(sum(latency_ms), 0) latency_ms_sum,
                    count(latency_ms) latency_events
                from telemetry_events where tenant_id = ? group by 1, 2 order by 1, 2""";
        String summed = """
                select bucket, cohort, sum(events) events, sum(viewer_ms) viewer_ms, sum(cdn_bytes) cdn_bytes,
                    sum(p2p_bytes_down) p2p_bytes_down, sum(p2p_bytes_up) p2p_bytes_up, sum(play_ms) play_ms,
                    sum(rebuffer_ms) rebuffer_ms,
                    sum(latency_ms_sum) latency_ms_sum, sum(latency_events) latency_events
                from %s where tenant_id = ? group by 1, 2 order by 1, 2""";
        List<Map<String, Object>> minutes = jdbc.queryForList(summed.formatted("telemetry_minute"), tenant.id());
        assertThat(minutes).hasSizeGreaterThan(2);
        assertThat(minutes.toString()).isEqualTo(jdbc.queryForList(raw.formatted("minute"), tenant.id()).toString());
        assertThat(jdbc.queryForList(summed.formatted("telemetry_hour"), tenant.id()).toString())
                .isEqualTo(jdbc.queryForList(raw.formatted("hour"), tenant.id()).toString());
        // Every coarser sums table, by the dimensions it keeps, equals the raw rows grouped the same way.
        Map<String, String> coarser = Map.of("telemetry_minute_tenant", "", "telemetry_minute_stream", "stream_id",
                "telemetry_minute_audience", "cohort, device, network", "telemetry_hour_total", "cohort",
                "telemetry_hour_stream", "stream_id, rendition, cohort",
                "telemetry_hour_audience", "cohort, device, network, nat");
        coarser.forEach((table, dimensions) -> {
            String keys = dimensions.isEmpty() ? "" : ", " + dimensions;
            String metrics = """
                    %s events, %s viewer_ms, %s cdn_bytes, %s p2p_bytes_down, %s play_ms, %s rebuffer_ms,
                    %s latency_ms_sum, %s latency_events""";
            List<Map<String, Object>> summedRows = jdbc.queryForList("select bucket%s, %s from %s where tenant_id = ? "
                    .formatted(keys, metrics.formatted("sum(events)", "sum(viewer_ms)", "sum(cdn_bytes)",
                            "sum(p2p_bytes_down)", "sum(play_ms)", "sum(rebuffer_ms)", "sum(latency_ms_sum)",
                            "sum(latency_events)"), table) + "group by bucket%s order by bucket%s".formatted(keys, keys),
                    tenant.id());
            assertThat(summedRows).as(table).isNotEmpty();
            assertThat(summedRows.toString()).as(table).isEqualTo(jdbc.queryForList(
                    "select date_trunc('%s', ts) bucket%s, %s from telemetry_events where tenant_id = ? "
                            .formatted(table.contains("minute") ? "minute" : "hour", keys, metrics.formatted("count(*)",
                                    "sum(interval_ms)", "sum(cdn_bytes)", "sum(p2p_bytes_down)", "sum(play_ms)",
                                    "sum(rebuffer_ms)", "coalesce(sum(latency_ms), 0)", "count(latency_ms)"))
                            + "group by 1%s order by 1%s".formatted(keys, keys), tenant.id()).toString());
        });
        assertThat(jdbc.queryForList("""
                select reason, sum(events) events, sum(viewer_ms) viewer_ms from telemetry_reasons_hour
                where tenant_id = ? group by 1 order by 1""", tenant.id()).toString())
                .isEqualTo(jdbc.queryForList("""
                        select reason, count(*) events, sum(interval_ms) viewer_ms
                        from telemetry_events, unnest(p2p_reasons) reason where tenant_id = ? group by 1 order by 1""",
                        tenant.id()).toString());
    }

    @Test
    void theReasonsPerTenantFollowEveryChangeToTheFullReasons() {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String perTenant = "select bucket, reason, events, viewer_ms from telemetry_reasons_hour_tenant "
                + "where tenant_id = ? order by 1, 2";
        String fromRaw = """
                select date_trunc('hour', ts) bucket, reason, count(*) events, sum(interval_ms) viewer_ms
                from telemetry_events, unnest(p2p_reasons) reason where tenant_id = ? group by 1, 2 order by 1, 2""";
        // New rows (insert), then more of the same cells in a later request (update), over two hours.
        send(batch(event(UUID.randomUUID(), hour.plusSeconds(1), "session-why1"),
                event(UUID.randomUUID(), hour.minus(1, ChronoUnit.HOURS), "session-why2").replace(
                        "[\"CELLULAR_UPLOAD_OFF\"]", "[\"CELLULAR_UPLOAD_OFF\", \"NAT_SYMMETRIC\"]")));
        send(batch(event(UUID.randomUUID(), hour.plusSeconds(2), "session-why1"),
                event(UUID.randomUUID(), hour.minus(1, ChronoUnit.HOURS).plusSeconds(1), "session-why3")));
        List<Map<String, Object>> rows = jdbc.queryForList(perTenant, tenant.id());
        assertThat(rows).hasSize(3);
        assertThat(rows.toString()).isEqualTo(jdbc.queryForList(fromRaw, tenant.id()).toString());
        // One upsert that both adds to a cell and makes new ones: one of its rows updated, two inserted (a cell of
        // another device under the same per-tenant row, and a new reason).
        send(batch(event(UUID.randomUUID(), hour.plusSeconds(3), "session-why1"),
                event(UUID.randomUUID(), hour.plusSeconds(4), "session-why4").replace("\"mobile\"", "\"tv\""),
                event(UUID.randomUUID(), hour.plusSeconds(5), "session-why5").replace("[\"CELLULAR_UPLOAD_OFF\"]",
                        "[\"SWARM_TOO_SMALL\"]")));
        assertThat(jdbc.queryForList(perTenant, tenant.id()).toString())
                .isEqualTo(jdbc.queryForList(fromRaw, tenant.id()).toString());
        assertThat(jdbc.queryForObject("select events from telemetry_reasons_hour_tenant where tenant_id = ? "
                + "and bucket = ? and reason = 'CELLULAR_UPLOAD_OFF'", Long.class, tenant.id(), Timestamp.from(hour)))
                .isEqualTo(4);

        // Part of a per-tenant row goes (one device's cell), then whole hours (expiry).
        jdbc.update("delete from telemetry_reasons_hour where tenant_id = ? and device = 'tv'", tenant.id());
        assertThat(jdbc.queryForObject("select events from telemetry_reasons_hour_tenant where tenant_id = ? "
                + "and bucket = ? and reason = 'CELLULAR_UPLOAD_OFF'", Long.class, tenant.id(), Timestamp.from(hour)))
                .isEqualTo(3);
        jdbc.update("delete from telemetry_reasons_hour where tenant_id = ? and bucket < ?", tenant.id(),
                Timestamp.from(hour));
        assertThat(jdbc.queryForList(perTenant, tenant.id())).extracting(row -> row.get("reason"))
                .containsExactly("CELLULAR_UPLOAD_OFF", "SWARM_TOO_SMALL");
    }

    @Test
    void batteryDrainIsMeasuredOverPlaybackBetweenConsecutiveUnpluggedHeartbeatsOfASession() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).plusSeconds(60);
        if (base.isAfter(Instant.now())) {
            base = base.minus(1, ChronoUnit.HOURS);
        }
        String template = event(UUID.randomUUID(), base, "session-batt");
        send(batch(heartbeat(template, base, 0.80, false), heartbeat(template, base.plusSeconds(10), 0.79, false)));
        // The next batch continues the session from its stored last heartbeat.
        send(batch(heartbeat(template, base.plusSeconds(20), 0.77, false),
                heartbeat(template, base.plusSeconds(30), 0.90, true),
                heartbeat(template, base.plusSeconds(40), 0.89, false),
                // Paused: the screen's drain over those 10 s is not playback's.
                heartbeat(template, base.plusSeconds(50), 0.88, false).replace("\"playMs\": 9800", "\"playMs\": 0")
                        .replace("\"rebufferMs\": 200", "\"rebufferMs\": 0")));
        // A late heartbeat from before the last one stored measures nothing.
        send(batch(heartbeat(template, base.plusSeconds(5), 0.50, false)));

        for (String sums : List.of("telemetry_minute", "telemetry_hour", "telemetry_minute_stream",
                "telemetry_hour_stream", "telemetry_minute_tenant", "telemetry_minute_audience", "telemetry_hour_total",
                "telemetry_hour_audience")) {
            Map<String, Object> drain = jdbc.queryForMap("select sum(battery_drain) drain, sum(battery_ms) ms "
                    + "from " + sums + " where tenant_id = ?", tenant.id());
            assertThat((Double) drain.get("drain")).as(sums).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(((Number) drain.get("ms")).longValue()).as(sums).isEqualTo(20_000);
        }
        assertThat(rawCount()).isEqualTo(7);
    }

    @Test
    void eventsAreKeptForTheTenantsRetentionInDailyPartitionsAndAChangeNeverCountsAReplayTwice() {
        Instant firstAt = Instant.now().minus(20, ChronoUnit.MINUTES);
        String first = batch(event(UUID.randomUUID(), firstAt, "session-r030"));
        send(first);
        TenantView settings = accounts.tenant(tenant.id());
        accounts.updateSettings(tenant.id(), new TenantSettings(settings.name(), settings.cdnPricePerGb(),
                settings.currency(), settings.defaultAllowedOrigins(), 7), Actor.SYSTEM);

        Response replay = send(first);
        assertThat(replay.json().get("duplicates").asInt()).as("the replay finds the original").isEqualTo(1);
        Instant r30bAt = Instant.now();
        send(batch(event(UUID.randomUUID(), r30bAt, "session-r30b")));
        // The change applies to events timestamped after it by more than the clock skew accepted: move it back
        // (still after the first event).
        jdbc.update("update telemetry_retention_changes set changed_at = changed_at - interval '10 minutes' "
                + "where tenant_id = ?", tenant.id());
        Instant r007At = Instant.now();
        send(batch(event(UUID.randomUUID(), r007At, "session-r007")));
        assertThat(send(first).json().get("duplicates").asInt()).isEqualTo(1);

        assertThat(jdbc.queryForList("""
                select session_id || ' ' || retention_days || ' ' || tableoid::regclass from telemetry_events
                where tenant_id = ? order by session_id""", String.class, tenant.id()))
                .as("events timestamped before the change keep the retention they were stored with")
                .containsExactly("session-r007 7 telemetry_events_r7_" + day(r007At),
                        "session-r030 30 telemetry_events_r30_" + day(firstAt),
                        "session-r30b 30 telemetry_events_r30_" + day(r30bAt));
        assertThat(jdbc.queryForObject("select sum(events) from telemetry_minute where tenant_id = ?", Long.class,
                tenant.id())).as("each counted once in the sums").isEqualTo(3);
    }

    @Test
    void noClientAddressIsStored() {
        String address = "203.0.113.77";
        Response response = http.post("/v1/telemetry?key=" + publishable,
                batch(event(UUID.randomUUID(), Instant.now(), "session-addr")), "Origin", ORIGIN, "X-Forwarded-For",
                address);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(1);

        List<String> columns = jdbc.queryForList("select column_name from information_schema.columns "
                + "where table_name like 'telemetry%'", String.class);
        assertThat(columns).isNotEmpty().noneMatch(c -> c.contains("ip") || c.contains("addr"));
        // Nor in any value: every row of every telemetry table, as text.
        for (String table : jdbc.queryForList("select table_name from information_schema.tables where table_name "
                + "like 'telemetry%' and table_schema = current_schema() and table_type = 'BASE TABLE'", String.class)) {
            assertThat(jdbc.queryForObject("select count(*) from " + table + " t where t::text like ?", Long.class,
                    "%" + address + "%")).as(table).isZero();
        }
    }

    private String heartbeat(String template, Instant ts, double battery, boolean charging) {
        return template.replaceFirst("\"eventId\": \"[^\"]+\"", "\"eventId\": \"" + UUID.randomUUID() + "\"")
                .replaceFirst("\"ts\": \"[^\"]+\"", "\"ts\": \"" + ts + "\"")
                .replace("\"battery\": 0.8", "\"battery\": " + battery)
                .replace("\"charging\": false", "\"charging\": " + charging);
    }

    private Response send(String body) {
        return http.post("/v1/telemetry?key=" + publishable, body, "Origin", ORIGIN);
    }

    private String url(String key) {
        return "http://localhost:" + port + "/v1/telemetry?key=" + key;
    }

    private int rawCount() {
        return jdbc.queryForObject("select count(*) from telemetry_events where tenant_id = ?", Integer.class,
                tenant.id());
    }

    private static String batch(String... events) {
        return "{\"batchId\": \"" + UUID.randomUUID() + "\", \"sdk\": \"meshcp-js/1.0\", \"events\": ["
                + String.join(",", events) + "]}";
    }

    private static String event(UUID eventId, Instant ts, String session) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "%s", "streamId": "final", "rendition": "720p",
                 "cohort": "p2p", "intervalMs": 10000, "cdnBytes": 1000, "p2pBytesDown": 3000, "p2pBytesUp": 500,
                 "peers": 3, "playMs": 9800, "rebufferMs": 200, "latencyMs": 2500, "battery": 0.8, "charging": false,
                 "network": "wifi", "device": "mobile", "nat": "port-restricted", "player": "hls.js 1.5",
                 "p2pReasons": ["CELLULAR_UPLOAD_OFF"]}""".formatted(eventId, ts, session);
    }

    /** The daily partition of an event timestamped {@code at}: its UTC day (20 minutes back may be yesterday). */
    private static String day(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate().format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
