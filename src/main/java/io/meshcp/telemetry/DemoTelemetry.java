package io.meshcp.telemetry;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.meshcp.database.TenantId;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;
import io.meshcp.player.P2pReason;
import io.meshcp.policies.LiveEventRequest;
import io.meshcp.policies.LiveEventState;
import io.meshcp.policies.LiveEvents;
import io.meshcp.policies.PolicyFields;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.streams.Rendition;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills a tenant with a day of realistic synthetic telemetry, so a new user sees a living dashboard: two
 * live streams (one with a live event under way that draws a crowd and a tight latency budget) and a VoD title,
 * ABR renditions, mobile, desktop and TV viewers on Wi-Fi and cellular behind every kind of NAT, a holdout
 * cohort, and batteries that drain a little faster when uploading. Offload grows with the audience, as a
 * swarm's does. The heartbeats (one per viewer per minute) are stored and summed as players' are, in batches of
 * their own rather than through the writer's queue, so a fill never takes room from players' telemetry.
 */
@Service
public class DemoTelemetry {

    static final String LIVE_STREAM = "demo-final";

    /** The demo's streams by external id: nothing else of an organisation is demo data. */
    static final List<String> DEMO_STREAMS = List.of(LIVE_STREAM, "demo-news", "demo-movie");

    private static final Logger log = LoggerFactory.getLogger(DemoTelemetry.class);

    private static final int HEARTBEAT_MS = 60_000;

    private final Streams streams;

    private final LiveEvents liveEvents;

    private final TelemetryStore store;

    private final Clock clock;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transactions;

    /** Tenants whose fill is under way: one at a time each, any number of tenants at once. */
    private final Set<UUID> filling = ConcurrentHashMap.newKeySet();

    DemoTelemetry(Streams streams, LiveEvents liveEvents, TelemetryStore store,
            Clock clock, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.streams = streams;
        this.liveEvents = liveEvents;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Creates the demo streams and live event now and writes the telemetry in the background (about half a
     * minute); the dashboard fills as it lands.
     *
     * @throws ConflictException when this tenant already has the demo streams, or a fill is under way
     */
    public void fill(@TenantId UUID tenantId, Actor actor) {
        if (!filling.add(tenantId)) {
            throw new ConflictException("Demo data is already being generated; refresh in a few seconds.");
        }
        try {
            if (present(tenantId)) {
                throw new ConflictException("This organisation already has the demo data.");
            }
            if (hasRealTraffic(tenantId)) {
                throw new ConflictException("This organisation already has telemetry from its own players: demo data "
                        + "would mix with it, so none was loaded.");
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
            List<DemoStream> demo = List.of(
                    new DemoStream(create(tenantId, LIVE_STREAM, "Cup final (demo)", StreamKind.LIVE, actor,
                            "1080p", "720p", "480p"), 60, 260),
                    new DemoStream(create(tenantId, "demo-news", "News channel (demo)", StreamKind.LIVE, actor,
                            "720p", "480p"), 35, 0),
                    new DemoStream(create(tenantId, "demo-movie", "Feature film (demo)", StreamKind.VOD, actor,
                            "1080p", "720p"), 6, 0));
            // The final is on now: it started three hours ago and runs for another hour.
            Instant eventStart = now.minus(Duration.ofHours(3));
            Instant eventEnd = now.plus(Duration.ofHours(1));
            liveEvents.create(tenantId, new LiveEventRequest(demo.get(0).stream().id(), "Cup final", eventStart,
                    eventEnd, new PolicyFields(null, 2_000, null, null, null, null, null, null, null)), actor);
            Thread.ofVirtual().name("demo-telemetry").start(() -> {
                try {
                    generate(tenantId, demo, now, eventStart, eventEnd);
                }
                catch (RuntimeException e) {
                    log.warn("Demo telemetry for tenant {} stopped: {}", tenantId, e.getMessage());
                }
                finally {
                    filling.remove(tenantId);
                }
            });
        }
        catch (RuntimeException e) {
            filling.remove(tenantId);
            throw e;
        }
    }

    /** Whether the organisation shows demo data now: its demo streams are there, not archived. */
    public boolean present(@TenantId UUID tenantId) {
        return demoStreams(tenantId).stream().anyMatch(stream -> !stream.archived());
    }

    /**
     * Takes the demo data out again: the demo streams' telemetry and the sums built from it, their live events
     * (cancelled) and the streams themselves (archived, so a later fill brings them back). Telemetry of the
     * organisation's own streams is untouched: its sums are rebuilt from the full sums without the demo's.
     *
     * @throws ConflictException when there is no demo data, or it is still being generated
     */
    public void remove(@TenantId UUID tenantId, Actor actor) {
        if (filling.contains(tenantId)) {
            throw new ConflictException("Demo data is still being generated; remove it in half a minute.");
        }
        List<StreamView> demo = demoStreams(tenantId).stream().filter(stream -> !stream.archived()).toList();
        if (demo.isEmpty()) {
            throw new ConflictException("This organisation has no demo data.");
        }
        for (StreamView stream : demo) {
            for (LiveEventState state : List.of(LiveEventState.ACTIVE, LiveEventState.UPCOMING)) {
                liveEvents.list(tenantId, state, stream.id(), 0, 100)
                        .forEach(event -> liveEvents.cancel(tenantId, event.id(), actor));
            }
        }
        Object[] ids = demo.stream().map(StreamView::id).toArray();
        transactions.executeWithoutResult(status -> jdbc.execute((ConnectionCallback<Void>) con -> {
            Array streamIds = con.createArrayOf("uuid", ids);
            for (String table : List.of("telemetry_events", "telemetry_minute", "telemetry_hour",
                    "telemetry_reasons_hour", "telemetry_stream_first_heartbeats")) {
                try (PreparedStatement delete = con.prepareStatement("delete from " + table
                        + " where tenant_id = ? and stream_id = any(?)")) {
                    delete.setObject(1, tenantId);
                    delete.setArray(2, streamIds);
                    delete.executeUpdate();
                }
            }
            try (PreparedStatement sessions = con.prepareStatement(
                    "delete from telemetry_sessions where tenant_id = ? and session_id like 'demo-%'");
                    PreparedStatement rebuild = con.prepareStatement("select telemetry_rebuild_coarser_sums(?)")) {
                sessions.setObject(1, tenantId);
                sessions.executeUpdate();
                rebuild.setObject(1, tenantId);
                rebuild.execute();
            }
            return null;
        }));
        demo.forEach(stream -> streams.archive(tenantId, stream.id(), true, actor));
        log.info("Removed the demo data of tenant {}", tenantId);
    }

    private List<StreamView> demoStreams(UUID tenantId) {
        return DEMO_STREAMS.stream().map(id -> streams.findByExternalId(tenantId, id)).flatMap(Optional::stream)
                .toList();
    }

    /** Whether any stream but the demo's ever reported a heartbeat. */
    private boolean hasRealTraffic(UUID tenantId) {
        Object[] demo = demoStreams(tenantId).stream().map(StreamView::id).toArray();
        return Boolean.TRUE.equals(transactions.execute(status -> jdbc.execute((ConnectionCallback<Boolean>) con -> {
            try (PreparedStatement query = con.prepareStatement("select exists(select 1 from "
                    + "telemetry_stream_first_heartbeats where tenant_id = ? and stream_id <> all(?))")) {
                query.setObject(1, tenantId);
                query.setArray(2, con.createArrayOf("uuid", demo));
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() && rows.getBoolean(1);
                }
            }
        })));
    }

    /** A demo stream, created, or restored when an earlier fill's was archived by {@link #remove}. */
    private StreamView create(UUID tenantId, String externalId, String name, StreamKind kind, Actor actor,
            String... renditions) {
        Optional<StreamView> archived = streams.findByExternalId(tenantId, externalId);
        if (archived.isPresent()) {
            return streams.archive(tenantId, archived.get().id(), false, actor);
        }
        List<Rendition> list = new ArrayList<>();
        for (String id : renditions) {
            list.add(new Rendition(id, bitrate(id), null));
        }
        return streams.create(tenantId, new StreamRequest(externalId, name, kind, list, null, false), actor);
    }

    private void generate(UUID tenantId, List<DemoStream> demo, Instant now, Instant eventStart, Instant eventEnd) {
        SplittableRandom random = new SplittableRandom(tenantId.getLeastSignificantBits());
        Map<String, Float> batteries = new HashMap<>();
        List<Heartbeat> batch = new ArrayList<>();
        long written = 0;
        for (Instant minute = now.minus(Duration.ofHours(24)); minute.isBefore(now); minute = minute.plusSeconds(60)) {
            double hourOfDay = (minute.getEpochSecond() % 86_400) / 3_600.0;
            // More people watch in the evening (UTC) than at night.
            double daily = 0.6 + 0.4 * Math.sin((hourOfDay - 14) / 24 * 2 * Math.PI);
            boolean inEvent = !minute.isBefore(eventStart) && minute.isBefore(eventEnd);
            for (DemoStream s : demo) {
                int viewers = (int) Math.round(s.baseline() * daily + (inEvent ? s.eventCrowd() : 0));
                for (int i = 0; i < viewers; i++) {
                    batch.add(heartbeat(s, i, viewers, minute, inEvent, random, batteries));
                }
            }
            if (batch.size() >= 2_000) {
                written += batch.size();
                store.write(List.of(new TelemetryStore.Batch(tenantId, batch)));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            written += batch.size();
            store.write(List.of(new TelemetryStore.Batch(tenantId, batch)));
        }
        log.info("Wrote {} demo heartbeats for tenant {}", written, tenantId);
    }

    /** Viewer {@code i} of a stream: its traits follow from its number, so it stays the same person all day. */
    private static Heartbeat heartbeat(DemoStream s, int i, int viewers, Instant minute, boolean inEvent,
            SplittableRandom random, Map<String, Float> batteries) {
        // A viewer watches in sessions of an hour: the p2p and holdout cohorts are compared per session, and a
        // day of them is enough for the comparison to tell.
        String viewer = "demo-" + s.stream().externalId() + "-" + i;
        String session = viewer + "-" + minute.getEpochSecond() / 3_600;
        int trait = Math.floorMod((s.stream().externalId() + i).hashCode(), 100);
        DeviceClass device = trait < 55 ? DeviceClass.MOBILE : trait < 95 ? DeviceClass.DESKTOP : DeviceClass.TV;
        Network network = device == DeviceClass.MOBILE ? (trait % 5 < 3 ? Network.CELLULAR : Network.WIFI)
                : trait % 3 == 0 ? Network.ETHERNET : Network.WIFI;
        NatType nat = trait % 10 == 0 ? NatType.SYMMETRIC : trait % 10 < 4 ? NatType.PORT_RESTRICTED
                : trait % 10 < 7 ? NatType.FULL_CONE : NatType.OPEN;
        boolean holdout = trait % 20 == 7;
        String rendition = s.stream().renditions().get(Math.min(s.stream().renditions().size() - 1,
                device == DeviceClass.MOBILE ? 1 : trait % 4 == 0 ? 1 : 0)).id();
        long bytes = bitrate(rendition) / 8 * HEARTBEAT_MS / 1000;
        // A bigger swarm serves more of the video: offload climbs with the audience and levels off.
        double offload = holdout ? 0 : Math.min(0.88, 0.15 + 0.7 * (1 - Math.exp(-viewers / 70.0)))
                * (nat == NatType.SYMMETRIC ? 0.55 : 1) * (0.9 + 0.2 * random.nextDouble());
        long p2pDown = (long) (bytes * Math.min(offload, 0.95));
        boolean uploads = !holdout && network != Network.CELLULAR;
        int rebufferMs = random.nextDouble() < 0.15 ? random.nextInt(holdout ? 1_800 : 1_500) : 0;
        List<String> reasons = new ArrayList<>();
        if (holdout) {
            reasons.add(P2pReason.HOLDOUT_COHORT.code());
        }
        if (nat == NatType.SYMMETRIC) {
            reasons.add(P2pReason.NAT_SYMMETRIC.code());
        }
        if (network == Network.CELLULAR) {
            reasons.add(P2pReason.CELLULAR_UPLOAD_OFF.code());
        }
        if (viewers < 10) {
            reasons.add(P2pReason.SWARM_TOO_SMALL.code());
        }
        Float battery = null;
        Boolean charging = null;
        if (device == DeviceClass.MOBILE) {
            charging = trait % 4 == 0;
            float level = batteries.getOrDefault(viewer, 0.95f - trait / 400f);
            // About 10 points of battery an hour on the CDN, 12 when also uploading to peers.
            level = charging ? Math.min(1f, level + 0.004f) : Math.max(0.05f, level - (uploads ? 0.002f : 0.00167f));
            batteries.put(viewer, level);
            battery = level;
        }
        Integer latency = s.stream().kind() == StreamKind.LIVE ? (inEvent ? 1_800 : 5_500) + random.nextInt(800) : null;
        return new Heartbeat(new UUID(random.nextLong(), random.nextLong()), minute.plusMillis(random.nextInt(59_000)),
                session, s.stream().id(), rendition, (holdout ? Cohort.HOLDOUT : Cohort.P2P).code(), HEARTBEAT_MS, bytes - p2pDown, p2pDown,
                uploads ? (long) (p2pDown * 0.8) : 0, holdout ? 0 : Math.min(8, viewers / 5), HEARTBEAT_MS - rebufferMs,
                rebufferMs, latency, battery, charging, network.code(), device.code(), nat.code(), "hls.js 1.5", "meshcp-demo/1", reasons,
                null);
    }

    private static long bitrate(String rendition) {
        return switch (rendition) {
            case "1080p" -> 6_000_000L;
            case "720p" -> 3_000_000L;
            default -> 1_200_000L;
        };
    }

    private record DemoStream(StreamView stream, int baseline, int eventCrowd) {
    }
}
