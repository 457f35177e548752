import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Telemetry ingest load: the same heartbeats either as HTTP batches to /v1/telemetry, or as CSV rows for
 * a raw COPY into telemetry_events (the peer of the ingest benchmark, bench/telemetry-ingest.sh).
 *
 * Usage:
 *   java bench/TelemetryLoad.java http BASE_URL KEY STREAM_EXTERNAL_ID CONNECTIONS WARMUP_S MEASURE_S
 *     prints: events_per_s=... requests_per_s=... p50_ms=... p99_ms=... unavailable=...
 *   java bench/TelemetryLoad.java csv TENANT_ID STREAM_ID ROWS > rows.csv
 */
public class TelemetryLoad {

    static final int EVENTS_PER_BATCH = 100;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("csv")) {
            csv(UUID.fromString(args[1]), UUID.fromString(args[2]), Long.parseLong(args[3]));
        }
        else {
            http(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]));
        }
    }

    static void http(String base, String key, String stream, int connections, int warmup, int measure)
            throws Exception {
        URI uri = URI.create(base + "/v1/telemetry?key=" + key);
        LongAdder accepted = new LongAdder();
        LongAdder requests = new LongAdder();
        LongAdder unavailable = new LongAdder();
        AtomicLong measuringUntil = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long warmEnd = start + warmup * 1_000_000_000L;
        long end = warmEnd + measure * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] samples = new long[1 << 20];
            latencies.add(samples);
            int worker = c;
            threads.add(Thread.ofPlatform().start(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                int n = 0;
                int batchNumber = 0;
                while (System.nanoTime() < end) {
                    String body = batch(stream, worker, batchNumber++);
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        long now = System.nanoTime();
                        boolean counted = sent >= warmEnd && now <= end;
                        if (response.statusCode() == 200) {
                            if (counted) {
                                String text = response.body();
                                int at = text.indexOf("\"accepted\":") + 11;
                                accepted.add(Long.parseLong(text.substring(at, text.indexOf(',', at)).trim()));
                                requests.increment();
                                if (n < samples.length) {
                                    samples[n++] = now - sent;
                                }
                            }
                        }
                        else if (response.statusCode() == 503 || response.statusCode() == 429) {
                            unavailable.increment();
                            Thread.sleep(200);
                        }
                        else {
                            System.err.println("status " + response.statusCode() + ": " + response.body());
                            System.exit(1);
                        }
                    }
                    catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                samples[samples.length - 1] = n;
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long total = 0;
        for (long[] samples : latencies) {
            total += samples[samples.length - 1];
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (long[] samples : latencies) {
            int n = (int) samples[samples.length - 1];
            System.arraycopy(samples, 0, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        System.out.printf("events_per_s=%.0f requests_per_s=%.0f p50_ms=%.1f p99_ms=%.1f unavailable=%d%n",
                accepted.sum() / (double) measure, requests.sum() / (double) measure,
                all.length == 0 ? Double.NaN : all[all.length / 2] / 1e6,
                all.length == 0 ? Double.NaN : all[(int) (all.length * 0.99)] / 1e6, unavailable.sum());
    }

    /**
     * 100 heartbeats of 100 sessions of one worker, up to a minute old, half of them mobile and on battery.
     * Ids come from a fast generator, not SecureRandom: the generator shares the machine with the server.
     */
    static String batch(String stream, int worker, int number) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder json = new StringBuilder(40_000).append("{\"batchId\":\"").append(UUID.randomUUID())
                .append("\",\"sdk\":\"bench/1\",\"events\":[");
        Instant now = Instant.now();
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            boolean mobile = i % 2 == 0;
            json.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(new UUID(random.nextLong(), random.nextLong()))
                    .append("\",\"ts\":\"").append(now.minusMillis(random.nextInt(60_000)))
                    .append("\",\"sessionId\":\"bench-").append(worker).append('-').append(i)
                    .append("\",\"streamId\":\"").append(stream).append("\",\"rendition\":\"")
                    .append(i % 3 == 0 ? "1080p" : "720p").append("\",\"cohort\":\"").append(i % 20 == 0 ? "holdout" : "p2p")
                    .append("\",\"intervalMs\":10000,\"cdnBytes\":").append(random.nextInt(2_000_000))
                    .append(",\"p2pBytesDown\":").append(random.nextInt(4_000_000)).append(",\"p2pBytesUp\":")
                    .append(random.nextInt(1_000_000)).append(",\"peers\":").append(random.nextInt(8))
                    .append(",\"playMs\":9800,\"rebufferMs\":").append(random.nextInt(300))
                    .append(",\"latencyMs\":").append(2000 + random.nextInt(3000)).append(",\"battery\":")
                    .append(mobile ? Double.toString(Math.round(1000 - (number % 100) * 6.6) / 1000.0) : "null")
                    .append(",\"charging\":").append(mobile ? "false" : "null").append(",\"network\":\"")
                    .append(mobile ? "cellular" : "wifi").append("\",\"device\":\"").append(mobile ? "mobile" : "desktop")
                    .append("\",\"nat\":\"").append(i % 7 == 0 ? "symmetric" : "port-restricted")
                    .append("\",\"player\":\"hls.js 1.5\",\"p2pReasons\":")
                    .append(mobile ? "[\"CELLULAR_UPLOAD_OFF\"]" : "[]").append('}');
        }
        return json.append("]}").toString();
    }

    /** The same kind of rows as CSV in telemetry_events' column order, for COPY. */
    static void csv(UUID tenant, UUID stream, long rows) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Instant now = Instant.now();
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
            for (long r = 0; r < rows; r++) {
                int i = (int) (r % EVENTS_PER_BATCH);
                boolean mobile = i % 2 == 0;
                out.append(tenant.toString()).append(",30,").append(new UUID(random.nextLong(), random.nextLong()).toString())
                        .append(',')
                        .append(now.minusMillis(random.nextInt(60_000)).toString()).append(',').append(now.toString())
                        .append(",bench-csv-").append(Integer.toString(i)).append(',').append(stream.toString()).append(',')
                        .append(i % 3 == 0 ? "1080p" : "720p").append(',').append(i % 20 == 0 ? "holdout" : "p2p")
                        .append(",10000,").append(Integer.toString(random.nextInt(2_000_000))).append(',')
                        .append(Integer.toString(random.nextInt(4_000_000))).append(',')
                        .append(Integer.toString(random.nextInt(1_000_000))).append(',')
                        .append(Integer.toString(random.nextInt(8))).append(",9800,")
                        .append(Integer.toString(random.nextInt(300))).append(',')
                        .append(Integer.toString(2000 + random.nextInt(3000))).append(',')
                        .append(mobile ? "0.9" : "").append(',').append(mobile ? "f" : "").append(',')
                        .append(mobile ? "cellular" : "wifi").append(',').append(mobile ? "mobile" : "desktop").append(',')
                        .append(i % 7 == 0 ? "symmetric" : "port-restricted").append(",hls.js 1.5,bench/1,")
                        .append(mobile ? "{CELLULAR_UPLOAD_OFF}" : "{}").append('\n');
            }
        }
    }
}
