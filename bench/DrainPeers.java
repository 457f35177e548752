import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's viewers on a rolling restart (bench/tracker-drain.sh): COUNT peers connect to node A's tracker, each with
 * its own session and token from client-config, behind a load balancer (an X-Forwarded-For address per four peers),
 * and announce into a live event's swarms (60% into one hot swarm, the rest over 999 others). Once all are in, it
 * prints "ready N" and reads a line: the epoch milliseconds at which node A was sent SIGTERM. Each peer then does
 * what the player SDK (sdk/meshcp.js) does when its tracker goes away: told TRACKER_RESTARTING, or its socket
 * closed, it waits a jittered pause (0.5 to 1.5 s, doubling while it keeps failing, at most 32 s), asks
 * client-config for a fresh token, now through the load balancer's other node (B), connects to B's tracker and
 * announces again, with the same peer id into the same swarm, as p2p-media-loader keeps its peer id for the page.
 * The load balancer in front of client-config is modelled as a pool of at most CONFIG_CONNECTIONS connections.
 *
 * <p>With MODE {@code move} (the peer run), node A is not stopped: at the line, every peer closes its socket to A
 * itself and then moves to B the same way, so the difference is what the drain itself costs.
 *
 * <p>Usage: java bench/DrainPeers.java TRACKER_A TRACKER_B CONFIG_A CONFIG_B KEY COUNT CONFIG_CONNECTIONS [MODE]
 * TRACKER_x are host:port of the trackers, CONFIG_x base URLs (http://host:port); tokens for stream "bench".
 * Prints one line: peers, back (re-announced on B within 120 s of the SIGTERM, or of the line), refused (announces B refused, by
 * reason), retries, and from the SIGTERM: first_told_ms, p50_back_ms, p99_back_ms, last_back_ms; and the mean time of a
 * successful return's client-config request, handshake and announce.
 */
public class DrainPeers {

    static final int PEERS_PER_ADDRESS = 4;

    static final Pattern TOKEN = Pattern.compile("\"signaling\":\\{[^}]*\"token\":\"([^\"]+)\"");

    static final Pattern FAILURE = Pattern.compile("\"failure reason\":\"([^\"]*)\"");

    public static void main(String[] args) throws Exception {
        InetSocketAddress trackerA = address(args[0]);
        InetSocketAddress trackerB = address(args[1]);
        String configA = args[2];
        String configB = args[3];
        String key = args[4];
        int count = Integer.parseInt(args[5]);
        Semaphore configConnections = new Semaphore(Integer.parseInt(args[6]));
        boolean move = args.length > 7 && args[7].equals("move");
        Socket[] firstSockets = new Socket[count];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicLong sigterm = new AtomicLong(Long.MAX_VALUE);
        long[] told = new long[count];
        long[] back = new long[count];
        LongAdder retries = new LongAdder();
        // Where a successful return's time went, summed over the peers: client-config, the handshake, the announce.
        LongAdder tokenNanos = new LongAdder();
        LongAdder connectNanos = new LongAdder();
        LongAdder announceNanos = new LongAdder();
        ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();
        CountDownLatch connected = new CountDownLatch(count);
        CountDownLatch reannounced = new CountDownLatch(count);
        Semaphore connecting = new Semaphore(64);

        try (var peers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int peer = i;
                peers.submit(() -> {
                    String swarm = String.format("drain-swarm-%08d", peer % 10 < 6 ? 0 : 1 + peer % 999);
                    String peerId = String.format("drain-peer-%09d", peer);
                    Socket first;
                    String session = null;
                    connecting.acquire();
                    try {
                        // A session in the holdout cohort gets no token (it plays without peers): the viewer is
                        // another one.
                        String token = null;
                        for (int attempt = 0; token == null; attempt++) {
                            session = String.format("drain%08d%02d", peer, attempt);
                            token = token(http, configConnections, configA, key, session);
                        }
                        first = connect(trackerA, token, peer);
                        String refusal = announce(first, swarm, peerId);
                        if (refusal != null) {
                            throw new IllegalStateException("refused by node A: " + refusal);
                        }
                    }
                    catch (Exception e) {
                        System.err.println("peer " + peer + " could not join node A: " + e);
                        System.exit(1);
                        throw e;
                    }
                    finally {
                        connecting.release();
                    }
                    firstSockets[peer] = first;
                    connected.countDown();
                    waitUntilTold(first);
                    told[peer] = System.currentTimeMillis();
                    first.close();
                    long base = 1000;
                    while (true) {
                        long pause = base / 2 + ThreadLocalRandom.current().nextLong(base);
                        Thread.sleep(pause);
                        try {
                            long asked = System.nanoTime();
                            String token = token(http, configConnections, configB, key, session);
                            if (token == null) {
                                throw new IllegalStateException("client-config on node B issued no token");
                            }
                            long tokened = System.nanoTime();
                            Socket socket = connect(trackerB, token, peer);
                            long opened = System.nanoTime();
                            String refusal = announce(socket, swarm, peerId);
                            if (refusal == null) {
                                back[peer] = System.currentTimeMillis();
                                tokenNanos.add(tokened - asked);
                                connectNanos.add(opened - tokened);
                                announceNanos.add(System.nanoTime() - opened);
                                reannounced.countDown();
                                return socket;
                            }
                            refused.computeIfAbsent(refusal, r -> new LongAdder()).increment();
                            socket.close();
                        }
                        catch (IOException | RuntimeException e) {
                            refused.computeIfAbsent(e.getClass().getSimpleName(), r -> new LongAdder()).increment();
                        }
                        retries.increment();
                        base = Math.min(32_000, base * 2);
                    }
                });
            }
            if (!connected.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (count - connected.getCount()) + " peers connected");
            }
            System.out.println("ready " + count);
            System.out.flush();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            sigterm.set(Long.parseLong(line.trim()));
            if (move) {
                for (Socket socket : firstSockets) {
                    socket.close();
                }
            }
            reannounced.await(120, TimeUnit.SECONDS);
            long term = sigterm.get();
            long[] backMs = Arrays.stream(back).filter(t -> t > 0).map(t -> t - term).sorted().toArray();
            long firstTold = Arrays.stream(told).filter(t -> t > 0).min().orElse(term) - term;
            StringBuilder out = new StringBuilder(String.format(
                    "peers=%d back=%d retries=%d first_told_ms=%d p50_back_ms=%d p99_back_ms=%d last_back_ms=%d",
                    count, backMs.length, retries.sum(), firstTold, percentile(backMs, 0.50),
                    percentile(backMs, 0.99), backMs.length == 0 ? -1 : backMs[backMs.length - 1]));
            int returned = Math.max(1, backMs.length);
            out.append(String.format(" mean_token_ms=%.1f mean_handshake_ms=%.1f mean_announce_ms=%.1f",
                    tokenNanos.sum() / 1e6 / returned, connectNanos.sum() / 1e6 / returned,
                    announceNanos.sum() / 1e6 / returned));
            refused.forEach((reason, n) -> out.append(" refused[").append(reason.replace(' ', '_')).append("]=")
                    .append(n.sum()));
            System.out.println(out);
            System.out.flush();
            System.exit(0);
        }
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * A fresh signaling token for the session, from one node's client-config, through the pool's connections; null
     * for a session in the holdout cohort.
     */
    static String token(HttpClient http, Semaphore connections, String base, String key, String session)
            throws IOException, InterruptedException {
        URI uri = URI.create(base + "/v1/client-config?key=" + key + "&stream=bench&device=desktop&nat=open&session="
                + session);
        connections.acquire();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        finally {
            connections.release();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("client-config answered " + response.statusCode() + ": "
                    + response.body());
        }
        Matcher token = TOKEN.matcher(response.body());
        return token.find() ? token.group(1) : null;
    }

    static Socket connect(InetSocketAddress tracker, String token, int peer) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.0." + (1 + peer % 16), 0));
        socket.setTcpNoDelay(true);
        socket.connect(tracker, 10_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        int address = (peer / PEERS_PER_ADDRESS) % (1 << 17);
        socket.getOutputStream().write(("GET /v1/signal?token=" + token + " HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Forwarded-For: 198." + (18 + (address >> 16)) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF) + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("handshake cut off");
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
        return socket;
    }

    /** Announces and reads the reply: null when accepted, else the tracker's failure reason. */
    static String announce(Socket socket, String swarm, String peerId) throws IOException {
        send(socket.getOutputStream(), 0x1, ("{\"action\":\"announce\",\"event\":\"started\",\"info_hash\":\"" + swarm
                + "\",\"peer_id\":\"" + peerId + "\",\"numwant\":0,\"offers\":[]}").getBytes(StandardCharsets.UTF_8));
        while (true) {
            String text = readText(socket);
            if (text == null) {
                return "closed";
            }
            if (text.contains("\"interval\"") || text.contains("\"failure reason\"")) {
                Matcher failure = FAILURE.matcher(text);
                return failure.find() ? failure.group(1) : null;
            }
        }
    }

    /** Holds the socket, answering pings, until the tracker warns it is going away or the socket ends. */
    static void waitUntilTold(Socket socket) throws IOException {
        socket.setSoTimeout(0);
        try {
            while (true) {
                String text = readText(socket);
                if (text == null || text.contains("TRACKER_RESTARTING")) {
                    return;
                }
            }
        }
        catch (IOException e) {
            // A reset is as good as a close: the peer goes elsewhere.
        }
    }

    /** The next text message, answering pings on the way; null once the socket is closed. */
    static String readText(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        while (true) {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int opcode = first & 0x0F;
            int second = in.readUnsignedByte() & 0x7F;
            long length = second == 126 ? in.readUnsignedShort() : second == 127 ? in.readLong() : second;
            byte[] payload = in.readNBytes((int) length);
            switch (opcode) {
                case 0x1 -> {
                    return new String(payload, StandardCharsets.UTF_8);
                }
                case 0x8 -> {
                    return null;
                }
                case 0x9 -> send(socket.getOutputStream(), 0xA, payload);
                default -> {
                }
            }
        }
    }

    // Client frames are masked (RFC 6455); a zero mask keeps the payload as it is. Payloads here are under 64 KiB.
    static void send(OutputStream out, int opcode, byte[] payload) throws IOException {
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        }
        else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(payload, 0, frame, header + 4, payload.length);
        out.write(frame);
        out.flush();
    }
}
