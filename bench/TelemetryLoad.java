import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
                Template[] templates = new Template[TEMPLATES];
                for (int t = 0; t < TEMPLATES; t++) {
                    templates[t] = new Template(batch(stream, worker, t));
                }
                int n = 0;
                int batchNumber = 0;
                try (Connection connection = new Connection(uri)) {
                    while (System.nanoTime() < end) {
                        byte[] body = templates[batchNumber++ % TEMPLATES].withFreshEventIds();
                        long sent = System.nanoTime();
                        Connection.Response response = connection.post(body);
                        long now = System.nanoTime();
                        boolean counted = sent >= warmEnd && now <= end;
                        if (response.status() == 200) {
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
                        else if (response.status() == 503 || response.status() == 429) {
                            unavailable.increment();
                            Thread.sleep(200);
                        }
                        else {
                            System.err.println("status " + response.status() + ": " + response.body());
                            System.exit(1);
                        }
                    }
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
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
     * A minimal HTTP/1.1 client on a plain socket, kept alive unless a request asks to close it:
     * java.net.http.HttpClient costs about a millisecond of CPU per request, which the generator would take from
     * the server it measures. Also used by bench/IngestPlayers.java.
     */
    static final class Connection implements AutoCloseable {

        record Response(int status, String body) {
        }

        private final URI uri;

        private Socket socket;

        private OutputStream out;

        private InputStream in;

        private final byte[] buffer = new byte[1 << 16];

        Connection(URI uri) throws IOException {
            this.uri = uri;
            open();
        }

        private void open() throws IOException {
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = socket.getInputStream();
        }

        Response post(byte[] body) throws IOException {
            return post(uri.getRawPath() + "?" + uri.getRawQuery(), body, false);
        }

        /** POSTs JSON to {@code target} (path and query); with {@code close}, the server ends the connection. */
        Response post(String target, byte[] body, boolean close) throws IOException {
            if (socket.isClosed()) {
                open();
            }
            out.write(("POST " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\n" + (close ? "Connection: close\r\n" : "")
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // Read up to the end of the headers, then the body by Content-Length (or chunks).
            int filled = 0;
            int headerEnd;
            while ((headerEnd = find(buffer, filled, "\r\n\r\n")) < 0) {
                filled += read(filled);
            }
            String headers = new String(buffer, 0, headerEnd, StandardCharsets.US_ASCII);
            int status = Integer.parseInt(headers.substring(9, 12));
            int bodyStart = headerEnd + 4;
            String lower = headers.toLowerCase(Locale.ROOT);
            int lengthAt = lower.indexOf("content-length:");
            String text;
            if (lengthAt >= 0) {
                int length = Integer.parseInt(lower.substring(lengthAt + 15, lower.indexOf("\r\n", lengthAt + 15) < 0
                        ? lower.length() : lower.indexOf("\r\n", lengthAt + 15)).trim());
                while (filled < bodyStart + length) {
                    filled += read(filled);
                }
                text = new String(buffer, bodyStart, length, StandardCharsets.UTF_8);
            }
            else {
                // Chunked: the answers are small, so read until the last chunk arrives and keep the data.
                while (find(buffer, filled, "\r\n0\r\n\r\n") < 0) {
                    filled += read(filled);
                }
                StringBuilder chunks = new StringBuilder();
                int at = bodyStart;
                while (true) {
                    int lineEnd = find(buffer, filled, "\r\n", at);
                    int size = Integer.parseInt(new String(buffer, at, lineEnd - at, StandardCharsets.US_ASCII).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    chunks.append(new String(buffer, lineEnd + 2, size, StandardCharsets.UTF_8));
                    at = lineEnd + 2 + size + 2;
                }
                text = chunks.toString();
            }
            // Tomcat ends a keep-alive connection after 100 requests by default. Waiting for its end first leaves
            // the closed connection's TIME_WAIT on the server's side, not among the generator's ports.
            if (close || lower.contains("connection: close")) {
                while (in.read(buffer) >= 0) {
                    // until the server closes
                }
                socket.close();
            }
            return new Response(status, text);
        }

        private int read(int filled) throws IOException {
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                throw new IOException("the server closed the connection");
            }
            return read;
        }

        private static int find(byte[] data, int limit, String needle) {
            return find(data, limit, needle, 0);
        }

        private static int find(byte[] data, int limit, String needle, int from) {
            outer:
            for (int i = from; i <= limit - needle.length(); i++) {
                for (int j = 0; j < needle.length(); j++) {
                    if (data[i + j] != needle.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Batches are built once per worker and only their event ids change from one send to the next, so
     * the generator, which shares the two cores with the application and PostgreSQL, spends little CPU
     * (the COPY it is compared with reads a file written before it is timed).
     */
    static final int TEMPLATES = 32;

    static final class Template {

        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private static final byte[] MARK = "\"eventId\":\"".getBytes(StandardCharsets.US_ASCII);

        private final byte[] body;

        private final int[] idOffsets;

        Template(String json) {
            body = json.getBytes(StandardCharsets.UTF_8);
            List<Integer> offsets = new ArrayList<>();
            for (int at = indexOf(body, MARK, 0); at >= 0; at = indexOf(body, MARK, at + 1)) {
                offsets.add(at + MARK.length);
            }
            idOffsets = offsets.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The same batch with new random version-4-shaped ids, written over the old ones in place. */
        byte[] withFreshEventIds() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int offset : idOffsets) {
                long high = random.nextLong();
                long low = random.nextLong();
                int at = offset;
                for (int i = 0; i < 32; i++) {
                    if (i == 8 || i == 12 || i == 16 || i == 20) {
                        at++;
                    }
                    long bits = i < 16 ? high >>> (60 - 4 * i) : low >>> (60 - 4 * (i - 16));
                    body[at++] = HEX[(int) (bits & 0xf)];
                }
            }
            return body;
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = from; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
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
