import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Players reconnecting to client-config at a fixed rate (bench/client-config-scale.sh), open loop: every request has a
 * due time and its latency runs from then, so a server falling behind shows (no coordinated omission). Each request
 * is a viewer of one of STREAMS streams picked by a Zipf popularity (exponent 1: the most watched stream gets about
 * 7% of requests over a million streams), with a session of its own. Stream rank r belongs to organisation
 * r % ORGANISATIONS (its key is line r % ORGANISATIONS of KEYS_FILE) and is named "s" + r / ORGANISATIONS there.
 * At the same time, FLOOD requests a second carry publishable keys that do not exist, each a new one (a scraper or
 * an attacker), open loop as well; their latency and statuses are reported apart. Requests go out on 64 keep-alive
 * connections for the players and 64 for the flood, as a load balancer holds a fixed set to a node: a request waits
 * for a free one, and its latency, counted from its due time, includes the wait. Status -1: the connection failed.
 *
 * <p>Usage: java bench/ClientConfigAtScale.java BASE_URL KEYS_FILE STREAMS RATE FLOOD SECONDS [PATH]
 * PATH: "client-config" (the default) or "ping" (GET /v1/ping at the same rate: the constant endpoint).
 * Prints: requests= ok= p50_ms= p99_ms= p999_ms= max_ms= late= flood= flood_p99_ms= and other statuses.
 */
public class ClientConfigAtScale {

    /** Keep-alive connections for the players' requests, and as many for the flood's. */
    static final int CONNECTIONS = 64;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        List<String> keys = Files.readAllLines(Path.of(args[1])).stream().filter(line -> !line.isBlank()).toList();
        int streams = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int flood = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        boolean ping = args.length > 6 && args[6].equals("ping");
        double[] cumulative = zipf(streams);

        URI server = URI.create(base);
        BlockingQueue<Connection> playerConnections = new LinkedBlockingQueue<>();
        BlockingQueue<Connection> floodConnections = new LinkedBlockingQueue<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            playerConnections.add(new Connection(server.getHost(), server.getPort()));
            if (flood > 0) {
                floodConnections.add(new Connection(server.getHost(), server.getPort()));
            }
        }
        int total = rate * seconds;
        int floodTotal = flood * seconds;
        long[] latency = new long[total];
        long[] floodLatency = new long[floodTotal];
        LongAdder ok = new LongAdder();
        ConcurrentHashMap<String, LongAdder> statuses = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, LongAdder> floodStatuses = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(total + floodTotal);
        AtomicInteger late = new AtomicInteger();
        long start = System.nanoTime() + 100_000_000L;

        Thread players = Thread.ofPlatform().start(() -> {
            SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / rate;
                waitUntil(due, late);
                int rank = rank(cumulative, random.nextDouble());
                URI uri = URI.create(ping ? base + "/v1/ping" : base + "/v1/client-config?key="
                        + keys.get(rank % keys.size()) + "&stream=s" + rank / keys.size()
                        + "&rendition=720p&device=desktop&network=wifi&nat=port-restricted&session=scale-"
                        + Long.toHexString(random.nextLong()));
                int index = i;
                send(playerConnections, uri, (status, nanos) -> {
                    latency[index] = nanos;
                    if (status == 200) {
                        ok.increment();
                    }
                    else {
                        statuses.computeIfAbsent(String.valueOf(status), s -> new LongAdder()).increment();
                    }
                    done.countDown();
                }, due);
            }
        });
        Thread flooders = Thread.ofPlatform().start(() -> {
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < floodTotal; i++) {
                long due = start + i * 1_000_000_000L / flood;
                waitUntil(due, null);
                URI uri = URI.create(base + "/v1/client-config?key=mesh_pk_flood" + Long.toHexString(random.nextLong())
                        + Long.toHexString(random.nextLong()) + "&stream=s0&session=flood-" + Long.toHexString(random.nextLong()));
                int index = i;
                send(floodConnections, uri, (status, nanos) -> {
                    floodLatency[index] = nanos;
                    floodStatuses.computeIfAbsent(String.valueOf(status), s -> new LongAdder()).increment();
                    done.countDown();
                }, due);
            }
        });
        players.join();
        flooders.join();
        done.await();

        Arrays.sort(latency);
        Arrays.sort(floodLatency);
        StringBuilder line = new StringBuilder(String.format(
                "requests=%d ok=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.1f late=%d flood=%d flood_p99_ms=%.2f",
                total, ok.sum(), ms(latency, 0.50), ms(latency, 0.99), ms(latency, 0.999),
                latency[total - 1] / 1e6, late.get(), floodTotal, ms(floodLatency, 0.99)));
        statuses.forEach((status, n) -> line.append(" status_").append(status).append('=').append(n.sum()));
        floodStatuses.forEach((status, n) -> line.append(" flood_status_").append(status).append('=').append(n.sum()));
        System.out.println(line);
        System.exit(0);
    }

    interface Outcome {
        void record(int status, long nanosSinceDue);
    }

    /**
     * Sends the GET on a virtual thread once one of the pool's keep-alive connections is free (as a load balancer
     * holds a fixed set of connections to a node): past that, the request waits, and its latency, counted from
     * when it was due, shows it. A connection that fails is replaced.
     */
    static void send(BlockingQueue<Connection> pool, URI uri, Outcome outcome, long due) {
        Thread.ofVirtual().start(() -> {
            int status;
            Connection connection = null;
            try {
                connection = pool.take();
                status = connection.get(uri.getRawPath() + "?" + (uri.getRawQuery() == null ? "" : uri.getRawQuery()));
            }
            catch (Exception e) {
                status = -1;
                if (connection != null) {
                    connection.close();
                    connection = null;
                    try {
                        connection = new Connection(uri.getHost(), uri.getPort());
                    }
                    catch (IOException again) {
                        // The pool shrinks by one: the run's answers show it.
                    }
                }
            }
            finally {
                if (connection != null) {
                    pool.add(connection);
                }
            }
            outcome.record(status, System.nanoTime() - due);
        });
    }

    /**
     * One HTTP/1.1 keep-alive connection: a GET, its status, its body read and dropped. When the server ends the
     * connection after an answer (Tomcat does after 100 requests on one), the next GET opens a new one, as a load
     * balancer would.
     */
    static final class Connection {

        private final String hostName;

        private final int port;

        private final String host;

        private Socket socket;

        private OutputStream out;

        private DataInputStream in;

        Connection(String hostName, int port) throws IOException {
            this.hostName = hostName;
            this.port = port;
            this.host = hostName + ":" + port;
            open();
        }

        private void open() throws IOException {
            socket = new Socket(hostName, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        }

        int get(String target) throws IOException {
            if (socket.isClosed()) {
                open();
            }
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closing = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                }
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
                else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closing = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().strip(), 16); size > 0; size = Long.parseLong(line().strip(), 16)) {
                    in.skipNBytes(size);
                    line();
                }
                line();
            }
            else if (length > 0) {
                in.skipNBytes(length);
            }
            if (closing) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            }
            catch (IOException e) {
                // Closed either way.
            }
        }
    }

    /**
     * Sleeps until the due time (never spinning: the generator has one core); counts sends more than 10 ms late. A
     * send a little late is still timed from its due time.
     */
    static void waitUntil(long due, AtomicInteger late) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        if (late != null && -wait > 10_000_000) {
            late.incrementAndGet();
        }
    }

    /** The cumulative probabilities of a Zipf popularity with exponent 1 over n ranks. */
    static double[] zipf(int n) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1.0 / (r + 1);
            cumulative[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cumulative[r] /= sum;
        }
        return cumulative;
    }

    static int rank(double[] cumulative, double u) {
        int found = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, found >= 0 ? found : -found - 1);
    }

    static double ms(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
