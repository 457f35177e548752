package io.meshcp.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.meshcp.policies.LiveEventRequest;
import io.meshcp.policies.LiveEvents;
import io.meshcp.policies.PolicyFields;
import io.meshcp.shared.Actor;
import io.meshcp.shared.ConflictException;
import io.meshcp.streams.Rendition;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

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

    private static final Logger log = LoggerFactory.getLogger(DemoTelemetry.class);

    private static final int HEARTBEAT_MS = 60_000;

    private final Streams streams;

    private final StreamDirectory directory;

    private final LiveEvents liveEvents;

    private final TelemetryStore store;

    private final Clock clock;

    /** Tenants whose fill is under way: one at a time each, any number of tenants at once. */
    private final Set<UUID> filling = ConcurrentHashMap.newKeySet();

    DemoTelemetry(Streams streams, StreamDirectory directory, LiveEvents liveEvents, TelemetryStore store,
            Clock clock) {
        this.streams = streams;
        this.directory = directory;
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
    public void fill(UUID tenantId, Actor actor) {
        if (!filling.add(tenantId)) {
            throw new ConflictException("Demo data is already being generated; refresh in a few seconds.");
        }
        try {
            if (directory.byExternalId(tenantId, LIVE_STREAM).isPresent()) {
                throw new ConflictException("This organisation already has the demo data.");
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

    private StreamView create(UUID tenantId, String externalId, String name, StreamKind kind, Actor actor,
            String... renditions) {
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
        String session = "demo-" + s.stream().externalId() + "-" + i;
        int trait = Math.floorMod((s.stream().externalId() + i).hashCode(), 100);
        String device = trait < 55 ? "mobile" : trait < 95 ? "desktop" : "tv";
        String network = device.equals("mobile") ? (trait % 5 < 3 ? "cellular" : "wifi")
                : trait % 3 == 0 ? "ethernet" : "wifi";
        String nat = trait % 10 == 0 ? "symmetric" : trait % 10 < 4 ? "port-restricted"
                : trait % 10 < 7 ? "full-cone" : "open";
        boolean holdout = trait % 20 == 7;
        String rendition = s.stream().renditions().get(Math.min(s.stream().renditions().size() - 1,
                device.equals("mobile") ? 1 : trait % 4 == 0 ? 1 : 0)).id();
        long bytes = bitrate(rendition) / 8 * HEARTBEAT_MS / 1000;
        // A bigger swarm serves more of the video: offload climbs with the audience and levels off.
        double offload = holdout ? 0 : Math.min(0.88, 0.15 + 0.7 * (1 - Math.exp(-viewers / 70.0)))
                * (nat.equals("symmetric") ? 0.55 : 1) * (0.9 + 0.2 * random.nextDouble());
        long p2pDown = (long) (bytes * Math.min(offload, 0.95));
        boolean uploads = !holdout && !network.equals("cellular");
        int rebufferMs = random.nextDouble() < 0.15 ? random.nextInt(holdout ? 1_800 : 1_500) : 0;
        List<String> reasons = new ArrayList<>();
        if (holdout) {
            reasons.add("HOLDOUT_COHORT");
        }
        if (nat.equals("symmetric")) {
            reasons.add("NAT_SYMMETRIC");
        }
        if (network.equals("cellular")) {
            reasons.add("CELLULAR_UPLOAD_OFF");
        }
        if (viewers < 10) {
            reasons.add("SWARM_TOO_SMALL");
        }
        Float battery = null;
        Boolean charging = null;
        if (device.equals("mobile")) {
            charging = trait % 4 == 0;
            float level = batteries.getOrDefault(session, 0.95f - trait / 400f);
            // About 10 points of battery an hour on the CDN, 12 when also uploading to peers.
            level = charging ? Math.min(1f, level + 0.004f) : Math.max(0.05f, level - (uploads ? 0.002f : 0.00167f));
            batteries.put(session, level);
            battery = level;
        }
        Integer latency = s.stream().kind() == StreamKind.LIVE ? (inEvent ? 1_800 : 5_500) + random.nextInt(800) : null;
        return new Heartbeat(new UUID(random.nextLong(), random.nextLong()), minute.plusMillis(random.nextInt(59_000)),
                session, s.stream().id(), rendition, holdout ? "holdout" : "p2p", HEARTBEAT_MS, bytes - p2pDown, p2pDown,
                uploads ? (long) (p2pDown * 0.8) : 0, holdout ? 0 : Math.min(8, viewers / 5), HEARTBEAT_MS - rebufferMs,
                rebufferMs, latency, battery, charging, network, device, nat, "hls.js 1.5", "meshcp-demo/1", reasons,
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
