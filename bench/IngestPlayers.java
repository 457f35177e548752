import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Telemetry ingest in the shape of production (bench/ingest-players.sh): players of many organisations and streams,
 * each sending its heartbeats (one, sometimes two or three) in one request every 10 s, at a fixed offered rate
 * (open loop: every request has a due time, and its latency runs from then). Some requests are replays of an
 * earlier one (a player that did not see the answer sends the same events again), a few events arrive late.
 *
 * Usage:
 *   java bench/IngestPlayers.java http BASE_URL TENANTS_FILE PLAYERS RATE SECONDS REPLAYS KEEPALIVE CONNECTIONS
 *     RATE requests/s offered; REPLAYS the fraction of requests that replay an earlier one (0.01);
 *     KEEPALIVE true: CONNECTIONS pooled keep-alive connections, as a load balancer keeps to its backends;
 *     false: a new connection per request, as browsers far apart do.
 *     prints: offered=... requests_per_s=... events_per_s=... (committed) duplicates=... refused_503=...
 *     refused_429=... late_starts=... p50_ms=... p99_ms=... p999_ms=... generator_cpu_s=... unanswered=...
 *     (unanswered: requests not answered within the run, so not counted; their latency is not in the percentiles)
 *   java bench/IngestPlayers.java sql TENANTS_FILE PLAYERS ROWS > inserts.sql
 *     the same players' rows as the peer inserts them: one multi-row INSERT per request.
 *
 * TENANTS_FILE: one line per organisation, "publishable_key tenant_uuid stream_uuid...", streams named s0, s1, ...
 * Organisations and, within each, streams are Zipf-distributed (s = 1) over the players: the first organisation
 * has about a fifth of them, the last a few hundred, as a SaaS's customers do.
 */
public class IngestPlayers {

    record Tenant(String key, UUID id, List<UUID> streams) {
    }

    /** One player: its organisation, stream (by index) and playback session. */
    record Player(int tenant, int stream, String session) {
    }

    static final String[] RENDITIONS = {"1080p", "720p", "480p"};

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sql")) {
            List<Tenant> tenants = tenants(Path.of(args[1]));
            sql(tenants, players(tenants, Integer.parseInt(args[2])), Long.parseLong(args[3]));
        }
        else {
            List<Tenant> tenants = tenants(Path.of(args[2]));
            http(args[1], tenants, players(tenants, Integer.parseInt(args[3])), Double.parseDouble(args[4]),
                    Integer.parseInt(args[5]), Double.parseDouble(args[6]), Boolean.parseBoolean(args[7]),
                    Integer.parseInt(args[8]));
        }
    }

    static List<Tenant> tenants(Path file) throws IOException {
        List<Tenant> tenants = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 3) {
                continue;
            }
            tenants.add(new Tenant(fields[0], UUID.fromString(fields[1]),
                    Arrays.stream(fields, 2, fields.length).map(UUID::fromString).toList()));
        }
        return tenants;
    }

    /** The same players every run (a fixed seed): Zipf over organisations, then over each one's streams. */
    static Player[] players(List<Tenant> tenants, int count) {
        SplittableRandom random = new SplittableRandom(42);
        double[] byTenant = zipf(tenants.size());
        Player[] players = new Player[count];
        for (int p = 0; p < count; p++) {
            int tenant = pick(byTenant, random.nextDouble());
            int stream = pick(zipf(tenants.get(tenant).streams().size()), random.nextDouble());
            players[p] = new Player(tenant, stream, "p" + p + "-" + Long.toHexString(random.nextLong()));
        }
        return players;
    }

    /** Cumulative Zipf (s = 1) probabilities of n ranks. */
    static double[] zipf(int n) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    static int pick(double[] cumulative, double u) {
        int at = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, at >= 0 ? at : -at - 1);
    }

    static void http(String base, List<Tenant> tenants, Player[] players, double rate, int seconds, double replays,
            boolean keepAlive, int connections) throws Exception {
        URI uri = URI.create(base);
        // At most CONNECTIONS requests at once, in either mode: past that, requests wait (and their latency, counted
        // from when they were due, shows it) instead of opening more sockets than the machine has ports for.
        BlockingQueue<TelemetryLoad.Connection> pool = new ArrayBlockingQueue<>(Math.max(1, connections));
        Semaphore inFlight = new Semaphore(connections);
        if (keepAlive) {
            for (int i = 0; i < connections; i++) {
                pool.add(new TelemetryLoad.Connection(uri));
            }
        }
        // Recent requests, for replays: the same target and body, so the same event ids.
        AtomicReferenceArray<Object[]> recent = new AtomicReferenceArray<>(4096);
        LongAdder ok = new LongAdder();
        LongAdder accepted = new LongAdder();
        LongAdder duplicates = new LongAdder();
        LongAdder refused503 = new LongAdder();
        LongAdder refused429 = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicInteger samples = new AtomicInteger();
        long total = (long) (rate * seconds);
        long[] latencies = new long[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        long cpuBefore = cpuNanos();
        long start = System.nanoTime() + 200_000_000L;
        long end = start + seconds * 1_000_000_000L;
        LongAdder unsent = new LongAdder();
        double intervalNanos = 1e9 / rate;
        long lateStarts = 0;
        int order = ThreadLocalRandom.current().nextInt(players.length);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long n = 0; n < total; n++) {
                long due = start + (long) (n * intervalNanos);
                long wait = due - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
                else if (wait < -10_000_000) {
                    lateStarts++;
                }
                Player player = players[(int) ((order + n) % players.length)];
                executor.execute(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    Object[] request;
                    int slot = random.nextInt(recent.length());
                    Object[] earlier = recent.get(slot);
                    if (earlier != null && random.nextDouble() < replays) {
                        request = earlier;
                    }
                    else {
                        Tenant tenant = tenants.get(player.tenant());
                        request = new Object[] {"/v1/telemetry?key=" + tenant.key(),
                                body(player, Instant.now(), random).getBytes(StandardCharsets.UTF_8)};
                        recent.set(slot, request);
                    }
                    if (System.nanoTime() > end) {
                        // Past the run's end: a server that fell behind is not waited for, its backlog is dropped.
                        unsent.increment();
                        return;
                    }
                    try {
                        TelemetryLoad.Connection.Response response = send(uri, keepAlive ? pool : null, inFlight,
                                end, (String) request[0], (byte[]) request[1]);
                        if (response == null) {
                            unsent.increment();
                            return;
                        }
                        long answered = System.nanoTime();
                        long latency = answered - due;
                        switch (response.status()) {
                            case 200 -> {
                                if (answered > end) {
                                    unsent.increment();
                                    return;
                                }
                                ok.increment();
                                accepted.add(number(response.body(), "\"accepted\":"));
                                duplicates.add(number(response.body(), "\"duplicates\":"));
                                int i = samples.getAndIncrement();
                                if (i < latencies.length) {
                                    latencies[i] = latency;
                                }
                            }
                            case 503 -> refused503.increment();
                            case 429 -> refused429.increment();
                            default -> {
                                failed.increment();
                                if (failed.sum() < 5) {
                                    System.err.println("status " + response.status() + ": " + response.body());
                                }
                            }
                        }
                    }
                    catch (Exception e) {
                        failed.increment();
                        if (failed.sum() < 5) {
                            System.err.println("request failed: " + e);
                        }
                    }
                });
            }
        }
        int n = Math.min(samples.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        for (TelemetryLoad.Connection connection : pool) {
            connection.close();
        }
        System.out.printf(Locale.ROOT, "offered=%.0f requests_per_s=%.0f events_per_s=%.0f duplicates=%d "
                + "refused_503=%d refused_429=%d failed=%d late_starts=%d p50_ms=%.1f p99_ms=%.1f p999_ms=%.1f "
                + "generator_cpu_s=%.1f unanswered=%d%n", rate, ok.sum() / (double) seconds, accepted.sum() / (double) seconds,
                duplicates.sum(), refused503.sum(), refused429.sum(), failed.sum(), lateStarts,
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
                (cpuNanos() - cpuBefore) / 1e9, unsent.sum());
    }

    /**
     * One request, on a pooled keep-alive connection, or on a new one that the server closes after answering; null
     * when its turn came only after the run's end.
     */
    static TelemetryLoad.Connection.Response send(URI uri, BlockingQueue<TelemetryLoad.Connection> pool,
            Semaphore inFlight, long end, String target, byte[] body) throws IOException, InterruptedException {
        inFlight.acquire();
        try {
            if (System.nanoTime() > end) {
                return null;
            }
            if (pool == null) {
                try (TelemetryLoad.Connection connection = new TelemetryLoad.Connection(uri)) {
                    return connection.post(target, body, true);
                }
            }
            TelemetryLoad.Connection connection = pool.take();
            try {
                TelemetryLoad.Connection.Response response = connection.post(target, body, false);
                pool.add(connection);
                return response;
            }
            catch (IOException e) {
                connection.close();
                pool.add(new TelemetryLoad.Connection(uri));
                throw e;
            }
        }
        finally {
            inFlight.release();
        }
    }

    static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long number(String json, String field) {
        int at = json.indexOf(field);
        if (at < 0) {
            return 0;
        }
        at += field.length();
        int end = at;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(at, end));
    }

    /** Events in one request: one heartbeat mostly; two or three when earlier sends failed and were kept. */
    static int eventsPerRequest(double u) {
        return u < 0.80 ? 1 : u < 0.95 ? 2 : 3;
    }

    /** One in a thousand events is late: a player back from a network drop, minutes after it was recorded. */
    static Instant timestamp(Instant now, int back, ThreadLocalRandom random) {
        Instant ts = now.minusMillis(back * 10_000L + random.nextInt(2_000));
        return random.nextInt(1000) == 0 ? ts.minusSeconds(120 + random.nextInt(1_680)) : ts;
    }

    /** One heartbeat of a player, as the SDK would send it and as the peer inserts it. */
    record Heartbeat(UUID eventId, Instant ts, String session, int stream, String rendition, String cohort,
            int cdnBytes, int p2pBytesDown, int p2pBytesUp, int peers, int rebufferMs, int latencyMs, boolean mobile,
            String nat) {

        String json() {
            return "{\"eventId\":\"" + eventId + "\",\"ts\":\"" + ts + "\",\"sessionId\":\"" + session
                    + "\",\"streamId\":\"s" + stream + "\",\"rendition\":\"" + rendition + "\",\"cohort\":\"" + cohort
                    + "\",\"intervalMs\":10000,\"cdnBytes\":" + cdnBytes + ",\"p2pBytesDown\":" + p2pBytesDown
                    + ",\"p2pBytesUp\":" + p2pBytesUp + ",\"peers\":" + peers + ",\"playMs\":9800,\"rebufferMs\":"
                    + rebufferMs + ",\"latencyMs\":" + latencyMs + ",\"battery\":" + (mobile ? "0.8" : "null")
                    + ",\"charging\":" + (mobile ? "false" : "null") + ",\"network\":\"" + (mobile ? "cellular" : "wifi")
                    + "\",\"device\":\"" + (mobile ? "mobile" : "desktop") + "\",\"nat\":\"" + nat
                    + "\",\"player\":\"hls.js 1.6\",\"p2pReasons\":" + (mobile ? "[\"CELLULAR_UPLOAD_OFF\"]" : "[]") + "}";
        }

        /** The row telemetry_events would hold, as SQL values, received at {@code receivedAt}. */
        String sqlValues(Tenant tenant, Instant receivedAt) {
            return "('" + tenant.id() + "',30,'" + eventId + "','" + ts + "','" + receivedAt + "','" + session + "','"
                    + tenant.streams().get(stream) + "','" + rendition + "','" + cohort + "',10000," + cdnBytes + ","
                    + p2pBytesDown + "," + p2pBytesUp + "," + peers + ",9800," + rebufferMs + "," + latencyMs + ","
                    + (mobile ? "0.8" : "null") + "," + (mobile ? "false" : "null") + ",'" + (mobile ? "cellular" : "wifi")
                    + "','" + (mobile ? "mobile" : "desktop") + "','" + nat + "','hls.js 1.6','meshcp-sdk/1.0','"
                    + (mobile ? "{CELLULAR_UPLOAD_OFF}" : "{}") + "')";
        }
    }

    /** What one request of the player carries: one heartbeat mostly, 10 s apart when there are more. */
    static List<Heartbeat> request(Player player, Instant now, ThreadLocalRandom random) {
        int events = eventsPerRequest(random.nextDouble());
        int hash = player.session().hashCode();
        List<Heartbeat> heartbeats = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            heartbeats.add(new Heartbeat(new UUID(random.nextLong(), random.nextLong()),
                    timestamp(now, events - 1 - i, random), player.session(), player.stream(),
                    RENDITIONS[Math.floorMod(hash, RENDITIONS.length)], hash % 20 == 0 ? "holdout" : "p2p",
                    random.nextInt(2_000_000), random.nextInt(4_000_000), random.nextInt(1_000_000), random.nextInt(8),
                    random.nextInt(20) == 0 ? random.nextInt(3000) : 0, 2000 + random.nextInt(3000), hash % 3 == 0,
                    hash % 7 == 0 ? "symmetric" : "port-restricted"));
        }
        return heartbeats;
    }

    static String body(Player player, Instant now, ThreadLocalRandom random) {
        return request(player, now, random).stream().map(Heartbeat::json)
                .collect(Collectors.joining(",", "{\"sdk\":\"meshcp-sdk/1.0\",\"events\":[", "]}"));
    }

    /**
     * The peer: the same players' rows as the database would take them without us, one multi-row INSERT per request
     * (one, two or three rows, as the players sent them), each its own transaction.
     */
    static void sql(List<Tenant> tenants, Player[] players, long rows) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant now = Instant.now();
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
            long written = 0;
            while (written < rows) {
                Player player = players[random.nextInt(players.length)];
                Tenant tenant = tenants.get(player.tenant());
                List<Heartbeat> request = request(player, now, random);
                request = request.subList(0, (int) Math.min(rows - written, request.size()));
                out.append(request.stream().map(heartbeat -> heartbeat.sqlValues(tenant, now))
                        .collect(Collectors.joining(",", "insert into telemetry_events values ", ";\n")));
                written += request.size();
            }
        }
    }
}
