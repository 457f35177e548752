package io.meshcp.analytics;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

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
class AnalyticsApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApiKeys apiKeys;

    Http http;

    String[] auth;

    String streamId;

    Instant hour;

    UUID tenantId;

    String publishable;

    JdbcTemplate jdbc = TestDatabase.owner();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        Fixtures.Tenant tenant = fixtures.tenant();
        tenantId = tenant.id();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
        publishable = apiKeys.create(tenant.id(), new NewKey(KeyKind.PUBLISHABLE, "web", List.of(), null),
                Actor.SYSTEM).key();
        streamId = http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth).json().get("id").asString();
        hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        // Hour 1: two p2p viewers; hour 2: one holdout viewer. 1 GB = 10^9 bytes; the default price is 0.02 per GB.
        Response ingest = http.post("/v1/telemetry?key=" + publishable, "{\"events\": ["
                + event(hour.plusSeconds(60), "p2p", 1_000_000_000L, 3_000_000_000L, 9_000, 1_000, "2000", "mobile",
                        "CELLULAR_UPLOAD_OFF")
                + "," + event(hour.plusSeconds(70), "p2p", 2_000_000_000L, 2_000_000_000L, 10_000, 0, "4000",
                        "desktop", null)
                + "," + event(hour.plusSeconds(3_660), "holdout", 5_000_000_000L, 0, 8_000, 2_000, "null", "desktop",
                        "HOLDOUT_COHORT")
                + "]}");
        assertThat(ingest.json().get("accepted").asInt()).isEqualTo(3);
    }

    @Test
    void thePlayerAndSdkBreakdownsComeFromWhatEachHeartbeatNames() {
        Instant at = Instant.now().minusSeconds(120);
        String named = event(at, "p2p", 1_000_000_000L, 1_000_000_000L, 9_000, 1_000, "null", "desktop", null)
                .replace("\"device\"", "\"player\": \"shaka 4.9\", \"sdk\": \"meshcp/1.2\", \"device\"");
        assertThat(http.post("/v1/telemetry?key=" + publishable, "{\"events\": [" + named + "]}").json()
                .get("accepted").asInt()).isEqualTo(1);
        String range = "&from=" + hour + "&to=" + Instant.now().plusSeconds(60);

        JsonNode players = get("/api/v1/analytics/clients?by=player" + range);
        assertThat(players.valueStream().map(g -> g.get("group").asString() + " " + g.get("cohort").asString() + " "
                + g.get("metrics").get("events"))).containsExactly("shaka 4.9 p2p 1", "unknown holdout 1",
                        "unknown p2p 2");
        JsonNode shaka = players.get(0).get("metrics");
        assertThat(shaka.get("offload").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(shaka.get("rebufferRatio").asDouble()).isCloseTo(0.1, within(1e-9));
        assertThat(get("/api/v1/analytics/clients?by=sdk" + range).valueStream().map(g -> g.get("group").asString())
                .toList()).contains("meshcp/1.2", "unknown");
        Response unknown = http.get("/api/v1/analytics/clients?by=browser" + range, auth);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("by");
    }

    @Test
    void anHourlySeriesComputesEachMetricFromItsDefinition() {
        JsonNode points = get("/api/v1/analytics/timeseries?granularity=hour&from=" + hour + "&to="
                + hour.plus(2, ChronoUnit.HOURS));

        assertThat(points).hasSize(2);
        JsonNode first = points.get(0).get("metrics");
        assertThat(points.get(0).get("t").asString()).isEqualTo(hour.toString());
        assertThat(first.get("offload").asDouble()).isCloseTo(0.625, within(1e-9));
        assertThat(first.get("bytesSaved").asLong()).isEqualTo(5_000_000_000L);
        assertThat(first.get("moneySaved").decimalValue()).isEqualByComparingTo("0.1");
        assertThat(first.get("viewers").asDouble()).isCloseTo(20_000 / 3_600_000.0, within(1e-9));
        assertThat(first.get("rebufferRatio").asDouble()).isCloseTo(1_000 / 20_000.0, within(1e-9));
        assertThat(first.get("avgLatencyMs").asDouble()).isEqualTo(3_000);
        JsonNode second = points.get(1).get("metrics");
        assertThat(second.get("offload").asDouble()).isZero();
        assertThat(second.get("rebufferRatio").asDouble()).isCloseTo(0.2, within(1e-9));
        assertThat(second.get("avgLatencyMs").isNull()).as("no latency reported: no made-up zero").isTrue();

        // In a zone half an hour off UTC each point is still exactly one hour of sums, starting at half past.
        JsonNode india = get("/api/v1/analytics/timeseries?granularity=hour&zone=Asia/Kolkata&from=" + hour + "&to="
                + hour.plus(2, ChronoUnit.HOURS));
        assertThat(india.valueStream().map(p -> p.get("t").asString() + " " + p.get("metrics").get("events")))
                .containsExactly(hour + " 2", hour.plus(1, ChronoUnit.HOURS) + " 1");
    }

    @Test
    void aMinuteSeriesHasAPointPerMinuteWithHeartbeatsInAnyZoneWithAndWithoutGrouping() {
        String range = "&from=" + hour + "&to=" + hour.plus(2, ChronoUnit.HOURS);
        Instant first = hour.plusSeconds(60);
        Instant second = hour.plusSeconds(3_660);
        // Per tenant, per stream, and by cohort (read from sums kept by more dimensions, so grouped), in a zone
        // half an hour off the hour: a minute is a minute there too.
        for (String query : List.of("", "&streamId=" + streamId, "&zone=Asia/Kolkata")) {
            JsonNode points = get("/api/v1/analytics/timeseries?granularity=minute" + range + query);
            assertThat(points.valueStream().map(p -> p.get("t").asString() + " " + p.get("metrics").get("events")))
                    .as(query).containsExactly(first + " 2", second + " 1");
            assertThat(points.get(0).get("metrics").get("viewers").asDouble()).as(query)
                    .isCloseTo(20_000 / 60_000.0, within(1e-9));
            assertThat(points.get(0).get("metrics").get("offload").asDouble()).isCloseTo(0.625, within(1e-9));
        }
        JsonNode byCohort = get("/api/v1/analytics/timeseries?granularity=minute&breakdown=cohort" + range);
        assertThat(byCohort.valueStream().map(p -> p.get("t").asString() + " " + p.get("group").asString() + " "
                + p.get("metrics").get("events"))).containsExactly(first + " p2p 2", second + " holdout 1");
        JsonNode byDevice = get("/api/v1/analytics/timeseries?granularity=minute&breakdown=device&cohort=p2p" + range);
        assertThat(byDevice.valueStream().map(p -> p.get("group").asString() + " " + p.get("metrics").get("events")))
                .containsExactly("desktop 1", "mobile 1");
    }

    @Test
    void theHourUnderWayIsAveragedOverItsTimeSoFarNotOverTheWholeHour() throws InterruptedException {
        // The heartbeat (a second back) and the query must fall in the same hour.
        Instant start = Instant.now();
        Instant startHour = start.truncatedTo(ChronoUnit.HOURS);
        if (start.atZone(ZoneOffset.UTC).getMinute() >= 58) {
            Thread.sleep(Duration.between(start, startHour.plus(1, ChronoUnit.HOURS)).plusSeconds(2).toMillis());
        }
        else if (start.isBefore(startHour.plusSeconds(2))) {
            Thread.sleep(2_000);
        }
        Instant ts = Instant.now().minusSeconds(1);
        Instant current = ts.truncatedTo(ChronoUnit.HOURS);
        assertThat(http.post("/v1/telemetry?key=" + publishable, "{\"events\": [" + event(ts, "p2p", 1, 1, 10_000, 0,
                "null", "desktop", null) + "]}").json().get("accepted").asInt()).isEqualTo(1);

        long before = Math.max(60_000, Duration.between(current, Instant.now()).toMillis());
        JsonNode points = get("/api/v1/analytics/timeseries?granularity=hour&from=" + current + "&to="
                + current.plus(1, ChronoUnit.HOURS));
        long after = Math.max(60_000, Duration.between(current, Instant.now()).toMillis());

        // One heartbeat covers 10 s of playback: so far into the hour, that is more than a 360th of a viewer.
        assertThat(points.get(0).get("metrics").get("viewers").asDouble()).isBetween(10_000.0 / after - 1e-12,
                10_000.0 / before + 1e-12);
    }

    @Test
    void aBreakdownSplitsEachBucketAndFiltersNarrowIt() {
        JsonNode byCohort = get("/api/v1/analytics/timeseries?granularity=hour&breakdown=cohort&from=" + hour + "&to="
                + hour.plus(2, ChronoUnit.HOURS));
        assertThat(byCohort).hasSize(2);
        assertThat(byCohort.get(0).get("group").asString()).isEqualTo("p2p");
        assertThat(byCohort.get(1).get("group").asString()).isEqualTo("holdout");

        JsonNode mobile = get("/api/v1/analytics/timeseries?granularity=hour&device=mobile&from=" + hour + "&to="
                + hour.plus(2, ChronoUnit.HOURS) + "&streamId=" + streamId);
        assertThat(mobile).hasSize(1);
        assertThat(mobile.get(0).get("metrics").get("offload").asDouble()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void daysBeginAtMidnightInTheAskedZone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        JsonNode days = get("/api/v1/analytics/timeseries?granularity=day&zone=Asia/Tokyo&from="
                + hour.minus(2, ChronoUnit.DAYS) + "&to=" + hour.plus(2, ChronoUnit.DAYS));

        Instant expected = LocalDate.ofInstant(hour, tokyo).atStartOfDay(tokyo).toInstant();
        List<Instant> starts = days.valueStream().map(d -> Instant.parse(d.get("t").asString())).toList();
        assertThat(starts).contains(expected);
        assertThat(days.valueStream().mapToLong(d -> d.get("metrics").get("events").asLong()).sum()).isEqualTo(3);
        for (String offset : List.of("%2B09:00", "UTC%2B09:00", "GMT%2B9")) {
            JsonNode fixed = get("/api/v1/analytics/timeseries?granularity=day&zone=" + offset + "&from="
                    + hour.minus(2, ChronoUnit.DAYS) + "&to=" + hour.plus(2, ChronoUnit.DAYS));
            assertThat(fixed.valueStream().map(d -> d.get("t").asString() + " " + d.get("metrics").get("events")))
                    .as("a fixed offset east of Greenwich, %s, has Tokyo's days", offset)
                    .containsExactlyElementsOf(days.valueStream()
                            .map(d -> d.get("t").asString() + " " + d.get("metrics").get("events")).toList());
        }
    }

    @Test
    void inAZoneHalfAnHourOffUtcDaysBeginAtLocalMidnightToTheMinute() {
        // 18:30 UTC is midnight in India: of two heartbeats in the hour 18:00 UTC, one is the day before.
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.DAYS).plus(18, ChronoUnit.HOURS);
        if (base.plus(51, ChronoUnit.MINUTES).isAfter(Instant.now())) {
            base = base.minus(1, ChronoUnit.DAYS);
        }
        assertThat(http.post("/v1/telemetry?key=" + publishable, "{\"events\": ["
                + event(base.plus(10, ChronoUnit.MINUTES), "p2p", 1, 1, 10_000, 0, "null", "tv", null) + ","
                + event(base.plus(40, ChronoUnit.MINUTES), "p2p", 1, 1, 10_000, 0, "null", "tv", null) + ","
                + event(base.plus(50, ChronoUnit.MINUTES), "p2p", 1, 1, 10_000, 0, "null", "tv", null)
                        .replace("\"wifi\"", "\"cellular\"") + "]}")
                .json().get("accepted").asInt()).isEqualTo(3);
        ZoneId india = ZoneId.of("Asia/Kolkata");
        Instant before = LocalDate.ofInstant(base, india).atStartOfDay(india).toInstant();
        Instant after = before.plus(1, ChronoUnit.DAYS);

        JsonNode days = get("/api/v1/analytics/timeseries?granularity=day&device=tv&zone=Asia/Kolkata&from="
                + base.minus(1, ChronoUnit.DAYS) + "&to=" + base.plus(1, ChronoUnit.DAYS));
        assertThat(days.valueStream().map(d -> d.get("t").asString() + " " + d.get("metrics").get("events")))
                .containsExactly(before + " 1", after + " 2");
        // A day whose hour held only heartbeats after midnight has no point (rather than one of zeros).
        JsonNode cellular = get("/api/v1/analytics/timeseries?granularity=day&device=tv&network=cellular"
                + "&zone=Asia/Kolkata&from=" + base.minus(1, ChronoUnit.DAYS) + "&to=" + base.plus(1, ChronoUnit.DAYS));
        assertThat(cellular.valueStream().map(d -> d.get("t").asString() + " " + d.get("metrics").get("events")))
                .containsExactly(after + " 1");
        JsonNode byCohort = get("/api/v1/analytics/timeseries?granularity=day&device=tv&breakdown=cohort"
                + "&zone=%2B05:30&from=" + base.minus(1, ChronoUnit.DAYS) + "&to=" + base.plus(1, ChronoUnit.DAYS));
        assertThat(byCohort.valueStream().map(d -> d.get("t").asString() + " " + d.get("group").asString() + " "
                + d.get("metrics").get("events"))).containsExactly(before + " p2p 1", after + " p2p 2");
        // By NAT type only the full minute sums could split the hour (too many rows): it counts by its start.
        JsonNode byNat = get("/api/v1/analytics/timeseries?granularity=day&device=tv&breakdown=nat&zone=Asia/Kolkata"
                + "&from=" + base.minus(1, ChronoUnit.DAYS) + "&to=" + base.plus(1, ChronoUnit.DAYS));
        assertThat(byNat.valueStream().map(d -> d.get("t").asString() + " " + d.get("metrics").get("events")))
                .containsExactly(before + " 3");
    }

    @Test
    void theSummaryComparesThePeerToPeerCohortWithTheHoldout() {
        JsonNode summary = get("/api/v1/analytics/summary?from=" + hour + "&to=" + hour.plus(2, ChronoUnit.HOURS));

        assertThat(summary.get("total").get("offload").asDouble()).isCloseTo(5 / 13.0, within(1e-9));
        assertThat(summary.get("total").get("events").asLong()).isEqualTo(3);
        assertThat(summary.get("cohorts").get("p2p").get("rebufferRatio").asDouble()).isCloseTo(0.05, within(1e-9));
        assertThat(summary.get("cohorts").get("holdout").get("rebufferRatio").asDouble()).isCloseTo(0.2,
                within(1e-9));
        assertThat(summary.get("peakViewers").asDouble()).isCloseTo(20_000 / 60_000.0, within(1e-9));
    }

    @Test
    void aSummaryCountsExactlyTheAskedRangeToTheMinuteNotWholeHours() {
        assertThat(get("/api/v1/analytics/summary?from=" + hour.plusSeconds(60) + "&to=" + hour.plusSeconds(120))
                .get("total").get("events").asLong()).isEqualTo(2);
        assertThat(get("/api/v1/analytics/summary?from=" + hour.plusSeconds(120) + "&to=" + hour.plusSeconds(3_720))
                .get("total").get("events").asLong()).as("the holdout heartbeat of the next hour's first minute")
                .isEqualTo(1);
        assertThat(get("/api/v1/analytics/summary?from=" + hour.plusSeconds(120) + "&to=" + hour.plusSeconds(3_600))
                .get("total").get("events").asLong()).isZero();
    }

    @Test
    void concurrencyBandsGroupEachStreamMinuteByItsAudience() {
        JsonNode bands = get("/api/v1/analytics/concurrency?from=" + hour + "&to=" + hour.plus(2, ChronoUnit.HOURS));

        assertThat(bands).hasSize(1);
        assertThat(bands.get(0).get("minViewers").asInt()).isZero();
        assertThat(bands.get(0).get("maxViewers").asInt()).isEqualTo(10);
        assertThat(bands.get(0).get("streamMinutes").asLong()).isEqualTo(2);
        assertThat(bands.get(0).get("offload").asDouble()).isCloseTo(5 / 13.0, within(1e-9));

        // Filtered by device, the stream-minutes come from sums kept by more than the stream, summed per minute.
        JsonNode mobile = get("/api/v1/analytics/concurrency?device=mobile&from=" + hour + "&to="
                + hour.plus(2, ChronoUnit.HOURS)).get(0);
        assertThat(mobile.get("streamMinutes").asLong()).isEqualTo(1);
        assertThat(mobile.get("offload").asDouble()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void overMoreThanADayConcurrencyBandsPlaceStreamHoursByTheirAverageAudience() {
        JsonNode bands = get("/api/v1/analytics/concurrency?from=" + hour.minus(2, ChronoUnit.DAYS) + "&to="
                + hour.plus(2, ChronoUnit.HOURS));

        assertThat(bands).hasSize(1);
        assertThat(bands.get(0).get("maxViewers").asInt()).isEqualTo(10);
        assertThat(bands.get(0).get("streamMinutes").asLong()).as("two stream-hours").isEqualTo(120);
        assertThat(bands.get(0).get("offload").asDouble()).isCloseTo(5 / 13.0, within(1e-9));
    }

    @Test
    void ineligibilityGivesEachReasonsShareOfPlayback() {
        JsonNode reasons = get("/api/v1/analytics/ineligibility?from=" + hour + "&to=" + hour.plus(2, ChronoUnit.HOURS));

        assertThat(reasons).hasSize(2);
        assertThat(reasons.valueStream().map(r -> r.get("reason").asString()).toList())
                .containsExactlyInAnyOrder("CELLULAR_UPLOAD_OFF", "HOLDOUT_COHORT");
        reasons.forEach(r -> assertThat(r.get("share").asDouble()).isCloseTo(1 / 3.0, within(1e-9)));
    }

    @Test
    void theSeriesExportsAsCsv() {
        Response csv = http.get("/api/v1/analytics/timeseries?granularity=hour&from=" + hour + "&to="
                + hour.plus(2, ChronoUnit.HOURS), Http.with(auth, "Accept", "text/csv"));

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("t,group,events,cdn_bytes,p2p_bytes_down");
        assertThat(lines.get(1)).startsWith(hour + ",,2,3000000000,5000000000,");
    }

    @Test
    void everyAnswerExportsAsCsvWithTextQuotedAndFormulasDefused() {
        String range = "?from=" + hour + "&to=" + hour.plus(2, ChronoUnit.HOURS);
        List<String> summary = csv("/api/v1/analytics/summary" + range, "summary.csv");
        assertThat(summary.get(0)).startsWith("scope,peak_viewers,events,cdn_bytes,p2p_bytes_down,")
                .endsWith(",money_saved,viewers,rebuffer_ratio,battery_drain_per_hour,avg_latency_ms,viewer_hours,"
                        + "currency");
        String currency = http.get("/api/v1/tenant", auth).json().get("currency").asString();
        assertThat(summary.subList(1, summary.size())).as("money saved is in the organisation's currency")
                .allSatisfy(row -> assertThat(row).endsWith("," + currency));
        assertThat(summary.subList(1, summary.size())).satisfiesExactly(
                all -> assertThat(all).startsWith("all," + 20_000 / 60_000.0 + ",3,8000000000,5000000000,"),
                holdout -> assertThat(holdout).startsWith("holdout,,1,5000000000,0,"),
                p2p -> assertThat(p2p).startsWith("p2p,,2,3000000000,5000000000,"));

        assertThat(csv("/api/v1/analytics/ineligibility" + range, "ineligibility.csv")).containsExactly(
                "reason,viewer_hours,share", "CELLULAR_UPLOAD_OFF," + 10_000 / 3_600_000.0 + "," + 1 / 3.0,
                "HOLDOUT_COHORT," + 10_000 / 3_600_000.0 + "," + 1 / 3.0);
        assertThat(csv("/api/v1/analytics/concurrency" + range, "concurrency.csv")).containsExactly(
                "min_viewers,max_viewers,offload,stream_minutes,viewer_hours",
                "0,10," + 5 / 13.0 + ",2," + 30_000 / 3_600_000.0);

        // A formula, a formula after a semicolon (a separator where Excel's locale uses one), a formula after blanks.
        for (String name : List.of("=HYPERLINK(\"x\"), \"Final\"", "x;=cmd|' /C calc'!A0", "  @SUM(A1)")) {
            // Each on a stream of its own: one stream's live events never overlap.
            String stream = http.post("/api/v1/streams", """
                    {"externalId": "csv-%s", "name": "CSV", "kind": "LIVE"}""".formatted(name.length()), auth).json()
                    .get("id").asString();
            Response created = http.post("/api/v1/live-events", """
                    {"streamId": "%s", "name": "%s", "startsAt": "%s", "endsAt": "%s",
                     "overrides": {"latencyBudgetMs": 2000}}""".formatted(stream, name.replace("\"", "\\\""),
                    hour.plusSeconds(3_600), Instant.now().plus(1, ChronoUnit.HOURS)), auth);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        List<String> events = csv("/api/v1/analytics/live-events?from=" + hour + "&to=" + Instant.now(),
                "live-events.csv");
        assertThat(events.get(0)).startsWith("event_id,stream_id,name,starts_at,ends_at,latency_budget_ms,peak_viewers,"
                + "events,").contains(",viewer_hours,before_events,before_cdn_bytes,").endsWith(",before_viewer_hours");
        assertThat(events.get(0).split(",")).hasSize(7 + 2 * 12);
        assertThat(events).hasSize(4);
        assertThat(events.subList(1, 4))
                .anySatisfy(row -> assertThat(row).contains(",\"'=HYPERLINK(\"\"x\"\"), \"\"Final\"\"\","))
                .anySatisfy(row -> assertThat(row).contains(",\"x;=cmd|' /C calc'!A0\","))
                .anySatisfy(row -> assertThat(row).contains(",'@SUM(A1)," + hour.plusSeconds(3_600) + ","));

        // A bad query asked as CSV is still a 400.
        assertThat(http.get("/api/v1/analytics/summary?from=" + hour + "&to=" + hour.minusSeconds(1),
                Http.with(auth, "Accept", "text/csv")).status()).isEqualTo(400);
    }

    private List<String> csv(String path, String filename) {
        Response response = http.get(path, Http.with(auth, "Accept", "text/csv"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/csv");
        assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=\"" + filename + "\"");
        return response.body().lines().toList();
    }

    @Test
    void badQueriesAnswer400AndOtherTenantsSeeNothing() {
        String range = "&from=" + hour + "&to=" + hour.plus(2, ChronoUnit.HOURS);
        assertThat(http.get("/api/v1/analytics/timeseries?from=" + hour + "&to=" + hour.minusSeconds(1), auth)
                .json().get("errors").get(0).get("field").asString()).isEqualTo("to");
        assertThat(http.get("/api/v1/analytics/timeseries?granularity=week" + range, auth).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/analytics/timeseries?zone=Mars/Olympus" + range, auth).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/analytics/timeseries?granularity=minute&from=" + hour + "&to="
                + hour.plus(8, ChronoUnit.DAYS), auth).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/analytics/timeseries?cohort=everyone" + range, auth).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/analytics/summary" + range.replaceFirst("&", "?"), "Authorization", "Bearer x")
                .status()).isEqualTo(401);

        String[] other = bearer(fixtures.secretKey(fixtures.tenant().id()).key());
        assertThat(http.get("/api/v1/analytics/summary?streamId=" + streamId + range, other).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/analytics/summary" + range.replaceFirst("&", "?"), other).json().get("total")
                .get("events").asLong()).isZero();
        for (String query : List.of("timeseries", "ineligibility", "concurrency", "live-events")) {
            assertThat(http.get("/api/v1/analytics/" + query + "?streamId=" + streamId + range, other).status())
                    .as(query + " of another organisation's stream").isEqualTo(404);
            if (!query.equals("live-events")) {
                assertThat(http.get("/api/v1/analytics/" + query + range.replaceFirst("&", "?"), auth).json())
                        .as(query + " of this organisation").isNotEmpty();
            }
            assertThat(http.get("/api/v1/analytics/" + query + range.replaceFirst("&", "?"), other).json())
                    .as(query + " of another organisation").isEmpty();
        }
    }

    private JsonNode get(String path) {
        Response response = http.get(path, auth);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void aLiveEventIsMeasuredDuringItsWindowAgainstAsLongAStretchBeforeIt() {
        // From the second hour until an hour from now: the holdout viewer is during it, the two p2p viewers before.
        http.post("/api/v1/live-events", """
                {"streamId": "%s", "name": "Final", "startsAt": "%s", "endsAt": "%s",
                 "overrides": {"latencyBudgetMs": 2000}}""".formatted(streamId, hour.plusSeconds(3_600),
                Instant.now().plus(1, ChronoUnit.HOURS)), auth);

        JsonNode events = get("/api/v1/analytics/live-events?from=" + hour + "&to=" + Instant.now());
        assertThat(events).hasSize(1);
        JsonNode report = events.get(0);
        assertThat(report.get("latencyBudgetMs").asInt()).isEqualTo(2_000);
        assertThat(report.get("during").get("events").asLong()).isEqualTo(1);
        assertThat(report.get("during").get("offload").asDouble()).isZero();
        assertThat(report.get("peakViewers").asDouble()).isCloseTo(10_000 / 60_000.0, within(1e-9));
        assertThat(report.get("before").get("events").asLong()).isEqualTo(2);
        assertThat(report.get("before").get("offload").asDouble()).isCloseTo(0.625, within(1e-9));
        assertThat(report.get("before").get("avgLatencyMs").asDouble()).isEqualTo(3_000);
    }

    @Test
    void aLiveEventOlderThanTheMinuteSumsIsMeasuredByTheHoursItSpans() {
        Instant start = hour.minus(40, ChronoUnit.DAYS);
        String id = http.post("/api/v1/live-events", """
                {"streamId": "%s", "name": "Old final", "startsAt": "%s", "endsAt": "%s",
                 "overrides": {"latencyBudgetMs": 3000}}""".formatted(streamId,
                Instant.now().plus(1, ChronoUnit.DAYS), Instant.now().plus(2, ChronoUnit.DAYS)), auth).json()
                .get("id").asString();
        // The API schedules only what ends in the future; the past is written where ingest would have put it.
        jdbc.update("update live_events set starts_at = ?, ends_at = ? where id = ?::uuid", Timestamp.from(start),
                Timestamp.from(start.plus(2, ChronoUnit.HOURS)), id);
        String hours = """
                insert into telemetry_hour_stream values (?, ?, ?::uuid, '720p', ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0)""";
        // Before: one hour of 6 viewers; during: 12 p2p viewers then 24 in two cohorts.
        jdbc.update(hours, tenantId, Timestamp.from(start.minus(1, ChronoUnit.HOURS)), streamId, "p2p", 1, 21_600_000,
                3_000, 1_000);
        jdbc.update(hours, tenantId, Timestamp.from(start), streamId, "p2p", 2, 43_200_000, 1_000, 1_000);
        jdbc.update(hours, tenantId, Timestamp.from(start.plus(1, ChronoUnit.HOURS)), streamId, "p2p", 4, 43_200_000,
                1_000, 3_000);
        jdbc.update(hours, tenantId, Timestamp.from(start.plus(1, ChronoUnit.HOURS)), streamId, "holdout", 8,
                43_200_000, 2_000, 0);

        // Many events since, and a cancelled one in the same range: neither hides the old final nor is reported.
        String insert = """
                insert into live_events (id, tenant_id, stream_id, name, starts_at, ends_at, overrides, created_by,
                    created_at, updated_at, cancelled_at) values (?, ?, ?::uuid, ?, ?, ?, '{}'::jsonb, 'test', now(),
                    now(), ?)""";
        for (int i = 0; i < 120; i++) {
            Instant later = start.plus(2 + i, ChronoUnit.DAYS);
            jdbc.update(insert, UUID.randomUUID(), tenantId, streamId, "Later " + i, Timestamp.from(later),
                    Timestamp.from(later.plus(1, ChronoUnit.HOURS)), null);
        }
        jdbc.update(insert, UUID.randomUUID(), tenantId, streamId, "Called off", Timestamp.from(start.minusSeconds(7_200)),
                Timestamp.from(start.minusSeconds(3_600)), Timestamp.from(start.minus(2, ChronoUnit.DAYS)));

        JsonNode reports = get("/api/v1/analytics/live-events?from=" + start.minus(1, ChronoUnit.DAYS) + "&to="
                + start.plus(1, ChronoUnit.DAYS));
        assertThat(reports).hasSize(1);
        JsonNode report = reports.get(0);
        assertThat(report.get("name").asString()).isEqualTo("Old final");
        assertThat(report.get("during").get("events").asLong()).isEqualTo(14);
        assertThat(report.get("during").get("offload").asDouble()).isCloseTo(4_000 / 8_000.0, within(1e-9));
        assertThat(report.get("during").get("viewers").asDouble()).isCloseTo(18, within(1e-9));
        assertThat(report.get("peakViewers").asDouble()).isCloseTo(24, within(1e-9));
        assertThat(report.get("before").get("events").asLong()).isEqualTo(1);
        assertThat(report.get("before").get("offload").asDouble()).isCloseTo(0.25, within(1e-9));
    }

    private static String event(Instant ts, String cohort, long cdn, long p2p, int playMs, int rebufferMs,
            String latency, String device, String reason) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "session-%s", "streamId": "final", "cohort": "%s",
                 "intervalMs": 10000, "cdnBytes": %d, "p2pBytesDown": %d, "p2pBytesUp": 0, "playMs": %d,
                 "rebufferMs": %d, "latencyMs": %s, "device": "%s", "network": "wifi", "p2pReasons": [%s]}"""
                .formatted(UUID.randomUUID(), ts, UUID.randomUUID().toString().substring(0, 8), cohort, cdn, p2p,
                        playMs, rebufferMs, latency, device, reason == null ? "" : "\"" + reason + "\"");
    }
}
