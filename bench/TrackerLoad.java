import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebTorrent tracker load generator modelled on aquatic's aquatic_ws_load_test: many WebSocket
 * connections, each a peer that announces into swarms chosen from 10,000 info hashes with a skewed
 * (Gamma 0.2, 100) popularity, with 10 offers per announce, 25% of announces as a seeder, and that
 * answers every offer it is relayed. Closed loop: a connection has one announce in flight and sends the
 * next when its reply arrives (aquatic's loop sends one request per message read, which lets the
 * requests in flight grow without bound; one announce in flight keeps latency meaningful).
 * Responses are what aquatic counts: announce replies, relayed offers, relayed answers, errors.
 *
 * <p>Each connection is a viewer behind a load balancer: with a client-config URL, every peer first gets its own
 * signaling token for its own playback session from client-config (64 requests in flight, before the
 * connections open and outside the measurement), and every handshake carries an X-Forwarded-For address from
 * 198.18.0.0/15 (the benchmarking range, not private), four peers to an address. From 127.0.0.1 the tracker
 * trusts that header, so it counts each address as a client, and the per-session and per-address limits apply
 * as they ship. Without a client-config URL (the npm bittorrent-tracker, which reads neither) no token is sent;
 * everything after the handshake is the same.
 *
 * <p>Paced, as players are (system property {@code pace}, announces per second per peer): each peer announces on its
 * own schedule whatever the replies do (open loop), several announces may be in flight, and an announce's latency
 * runs from when it was due, not from when it went out, so a server (or generator) falling behind is not hidden
 * (coordinated omission). With {@code maxSwarms} a peer stays in at most that many swarms: before it joins another,
 * it leaves its oldest with a {@code stopped} announce, as a player leaves a rendition. Together they keep every
 * peer within the tracker's shipped per-socket limits (20 messages a second, 10 swarms): at one announce a second
 * a peer sends at most about 12 messages a second (the announce, an answer to each of up to 10 offers it is
 * relayed, and a stop); 3 to 7 in the recorded runs. Stops
 * are counted apart (stop_per_s) and their replies are not announce replies.
 *
 * <p>Usage: java [-Dpace=ANNOUNCES_PER_S -DmaxSwarms=N] bench/TrackerLoad.java URLS CONNECTIONS WARMUP_SECONDS MEASURE_SECONDS WORKERS
 * [CLIENT_CONFIG_URL PUBLISHABLE_KEY]
 * URLS is a ws:// URL (our tracker's is ws://host:port/v1/signal), or several separated by commas: the
 * connections are then spread over them in turn, as a load balancer would spread players over nodes.
 * CLIENT_CONFIG_URL is the application's base URL (http://host:port); tokens are asked for stream "bench".
 * The run must end before the tokens expire (token-ttl, 10 minutes as shipped), or it stops with an error.
 * Prints one line of results: key=value pairs (responses_per_s, announce_per_s, offer_per_s, answer_per_s,
 * error_per_s, requests_per_s, p50_ms, p90_ms, p99_ms, p999_ms, connections, closed: connections the server
 * closed).
 */
public class TrackerLoad {

    static final int TORRENTS = 10_000;
    static final int OFFERS_PER_ANNOUNCE = 10;
    static final double SEEDER_PROBABILITY = 0.25;
    static final String SDP = "abcdefg-abcdefg-abcdefg-abcdefg-abcdefg-abcdefg";
    static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final int PEERS_PER_ADDRESS = 4;
    static final int TOKEN_REQUESTS_IN_FLIGHT = 64;

    /** Announces per second per peer; 0 for the closed loop. */
    static final double PACE = Double.parseDouble(System.getProperty("pace", "0"));
    /** The most swarms a peer stays in at once; 0 for never leaving one. */
    static final int MAX_SWARMS = Integer.getInteger("maxSwarms", 0);

    static final LongAdder announceReplies = new LongAdder();
    static final LongAdder stopReplies = new LongAdder();
    /** Offers that reached a peer after it had left their swarm, which it does not answer. */
    static final LongAdder dropped = new LongAdder();
    /** Paced announces sent more than 10 ms after they were due: the generator could not keep up. */
    static final LongAdder late = new LongAdder();
    static final LongAdder offers = new LongAdder();
    static final LongAdder answers = new LongAdder();
    static final LongAdder errors = new LongAdder();
    static final LongAdder requests = new LongAdder();
    static final LongAdder open = new LongAdder();
    static final LongAdder closed = new LongAdder();
    static volatile boolean measuring;
    /** In a peer's announces in flight, a stop (System.nanoTime() may be negative, so not -1). */
    static final long STOP = Long.MIN_VALUE;
    /** Paced peers start announcing together once every connection is open, so that no handshake waits behind them. */
    static volatile long pacedStart;

    static String[] infoHashes;

    public static void main(String[] args) throws Exception {
        URI[] uris = java.util.Arrays.stream(args[0].split(",")).map(URI::create).toArray(URI[]::new);
        int connections = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int measure = Integer.parseInt(args[3]);
        int workers = Integer.parseInt(args[4]);
        String[] tokens = new String[connections];
        if (args.length > 6) {
            Instant firstExpiry = fetchTokens(args[5], args[6], tokens);
            Instant runEnd = Instant.now().plusSeconds(60 + warmup + measure);
            if (runEnd.isAfter(firstExpiry)) {
                System.err.println("the run (up to 60 s to connect, " + warmup + " s warm-up, " + measure
                        + " s measured) would outlast the signaling tokens, which expire at " + firstExpiry
                        + "; shorten it, or start the tracker with a longer meshcp.signaling.token-ttl and report"
                        + " that run beside one with the shipped setting");
                System.exit(1);
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        infoHashes = new String[TORRENTS];
        for (int i = 0; i < TORRENTS; i++) {
            infoHashes[i] = randomId(random);
        }
        Worker[] pool = new Worker[workers];
        int first = 0;
        for (int w = 0; w < workers; w++) {
            int count = connections / workers + (w < connections % workers ? 1 : 0);
            pool[w] = new Worker(uris, tokens, first, count, w, random.split());
            first += count;
            Thread thread = new Thread(pool[w], "load-" + w);
            thread.setDaemon(true);
            thread.start();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (open.sum() < connections && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (open.sum() < connections) {
            System.err.println("only " + open.sum() + " of " + connections + " connections opened");
            System.exit(1);
        }
        pacedStart = System.nanoTime();
        Thread.sleep(warmup * 1000L);
        long[] before = snapshot();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        measuring = true;
        long start = System.nanoTime();
        Thread.sleep(measure * 1000L);
        measuring = false;
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] after = snapshot();
        double loadCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9 / seconds;
        double[] rate = new double[before.length];
        for (int i = 0; i < rate.length; i++) {
            rate[i] = (after[i] - before[i]) / seconds;
        }
        Thread.sleep(100);
        int total = 0;
        for (Worker worker : pool) {
            total += worker.latencyCount;
        }
        long[] latencies = new long[total];
        int at = 0;
        for (Worker worker : pool) {
            System.arraycopy(worker.latencyNanos, 0, latencies, at, worker.latencyCount);
            at += worker.latencyCount;
        }
        Arrays.sort(latencies);
        System.out.printf(
                "responses_per_s=%.0f announce_per_s=%.0f offer_per_s=%.0f answer_per_s=%.0f error_per_s=%.0f "
                        + "requests_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f connections=%d "
                        + "closed=%d stop_per_s=%.0f offered_announce_per_s=%.0f late_per_s=%.0f load_cpu=%.2f "
                        + "dropped_per_s=%.0f%n",
                rate[0] + rate[1] + rate[2] + rate[3], rate[0], rate[1], rate[2], rate[3], rate[4],
                percentile(latencies, 0.50), percentile(latencies, 0.90), percentile(latencies, 0.99),
                percentile(latencies, 0.999), open.sum(), closed.sum(), rate[5], PACE * connections, rate[6],
                loadCpu, rate[7]);
        System.exit(0);
    }

    private static final Pattern SIGNALING = Pattern.compile(
            "\"signaling\":\\{[^}]*\"token\":\"([^\"]+)\"[^}]*\"expiresAt\":\"([^\"]+)\"");

    /**
     * Fills {@code tokens} with one signaling token per peer, each for a session of its own, as client-config
     * issues them to viewers, and returns when the first of them expires. A session in the holdout cohort gets
     * no token; it is skipped for the next one.
     */
    static Instant fetchTokens(String baseUrl, String key, String[] tokens) throws InterruptedException {
        ConcurrentLinkedQueue<String> issued = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Instant> expiries = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(TOKEN_REQUESTS_IN_FLIGHT);
        int session = 0;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            while (issued.size() < tokens.length) {
                int before = issued.size();
                List<CompletableFuture<Void>> batch = new ArrayList<>();
                for (int i = before; i < tokens.length; i++) {
                    inFlight.acquire();
                    URI uri = URI.create(baseUrl + "/v1/client-config?key=" + key
                            + "&stream=bench&device=desktop&nat=open&session=" + String.format("bench%08d", session++));
                    batch.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, failure) -> inFlight.release())
                            .thenAccept(response -> {
                                if (response.statusCode() != 200) {
                                    throw new IllegalStateException("client-config answered " + response.statusCode()
                                            + ": " + response.body());
                                }
                                Matcher signaling = SIGNALING.matcher(response.body());
                                if (signaling.find()) {
                                    issued.add(signaling.group(1));
                                    expiries.add(Instant.parse(signaling.group(2)));
                                }
                            }));
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                if (issued.size() == before) {
                    throw new IllegalStateException("client-config issued no signaling token for stream \"bench\"");
                }
            }
        }
        List<String> all = new ArrayList<>(issued);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = all.get(i);
        }
        return expiries.stream().min(Instant::compareTo).orElseThrow();
    }

    /** Peer n's client address: 198.18.0.0/15, PEERS_PER_ADDRESS peers to an address. */
    static String forwardedFor(int peer) {
        int address = (peer / PEERS_PER_ADDRESS) % (1 << 17);
        return "198." + (18 + (address >> 16)) + "." + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
    }

    static long[] snapshot() {
        return new long[] { announceReplies.sum(), offers.sum(), answers.sum(), errors.sum(), requests.sum(),
                stopReplies.sum(), late.sum(), dropped.sum() };
    }

    static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    static String randomId(SplittableRandom random) {
        char[] id = new char[20];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(id);
    }

    /** Gamma(shape < 1, scale) by Marsaglia and Tsang, boosted from shape + 1. */
    static double gamma(SplittableRandom random, double shape, double scale) {
        double d = shape + 1 - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        double v;
        double x;
        do {
            do {
                x = normal(random);
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
        }
        while (Math.log(random.nextDouble()) >= 0.5 * x * x + d - d * v + d * Math.log(v));
        return d * v * Math.pow(random.nextDouble(), 1 / shape) * scale;
    }

    static double normal(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** The info hash index aquatic picks: Gamma(0.2, 100) mapped onto the torrents, most mass on the first. */
    static int pickTorrent(SplittableRandom random) {
        double p = (Math.min(gamma(random, 0.2, 100), 101) - 1) / 100;
        return (int) Math.max(0, p * (TORRENTS - 1));
    }

    /** One thread with its own selector and share of the connections. */
    static final class Worker implements Runnable {

        final URI[] uris;

        final String[] tokens;

        final int first;

        final int count;

        final int index;

        final SplittableRandom random;

        final Selector selector;

        /** Paced peers, open and waiting for the start, their due times still relative to it. */
        final List<Peer> waiting = new ArrayList<>();

        /** Paced peers by when their next announce is due. */
        final java.util.PriorityQueue<Peer> due = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingLong((Peer peer) -> peer.nextDue));

        long[] latencyNanos = new long[1 << 20];

        int latencyCount;

        Worker(URI[] uris, String[] tokens, int first, int count, int index, SplittableRandom random)
                throws IOException {
            this.uris = uris;
            this.tokens = tokens;
            this.first = first;
            this.count = count;
            this.index = index;
            this.random = random;
            this.selector = Selector.open();
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < count; i++) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                    URI uri = uris[i % uris.length];
                    channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                    Peer peer = new Peer(this, uri, tokens[first + i], forwardedFor(first + i), channel,
                            String.format("p%02d%017d", index, i));
                    channel.register(selector, SelectionKey.OP_CONNECT, peer);
                }
                while (true) {
                    if (PACE > 0 && pacedStart != 0 && !waiting.isEmpty()) {
                        for (Peer peer : waiting) {
                            peer.nextDue += pacedStart;
                            due.add(peer);
                        }
                        waiting.clear();
                    }
                    if (PACE > 0) {
                        long now = System.nanoTime();
                        while (!due.isEmpty() && due.peek().nextDue <= now) {
                            Peer peer = due.poll();
                            peer.announceDue(now);
                            due.add(peer);
                        }
                        // Never a busy wait (it would show as generator CPU): at least a millisecond's sleep, so an
                        // announce may go out up to a millisecond after it was due, which its latency includes.
                        long wait = due.isEmpty() ? 100 : (due.peek().nextDue - now) / 1_000_000;
                        selector.select(Math.max(1, wait));
                    }
                    else {
                        selector.select();
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        Peer peer = (Peer) key.attachment();
                        try {
                            if (key.isConnectable()) {
                                peer.connected(key);
                            }
                            if (key.isValid() && key.isWritable()) {
                                peer.flush(key);
                            }
                            if (key.isValid() && key.isReadable()) {
                                peer.read(key);
                            }
                        }
                        catch (IOException e) {
                            System.err.println("connection failed: " + e);
                            if (peer.upgraded) {
                                closed.increment();
                            }
                            key.cancel();
                            peer.channel.close();
                        }
                    }
                    selector.selectedKeys().clear();
                }
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void recordLatency(long nanos) {
            if (!measuring) {
                return;
            }
            if (latencyCount == latencyNanos.length) {
                latencyNanos = Arrays.copyOf(latencyNanos, latencyNanos.length * 2);
            }
            latencyNanos[latencyCount++] = nanos;
        }
    }

    /** One connection: a peer with a fixed peer id and at most one announce in flight. */
    static final class Peer {

        final Worker worker;

        final URI uri;

        final String token;

        final String forwardedFor;

        final SocketChannel channel;

        final String peerId;

        final ByteBuffer in = ByteBuffer.allocate(1 << 16);

        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();

        boolean upgraded;

        long announcedAt;

        String announcedHash;

        long offerCounter;

        /** Paced: when the next announce is due, and when each announce in flight was due (a stop as STOP). */
        long nextDue;

        final ArrayDeque<Long> inFlight = new ArrayDeque<>();

        /** The info hash of each announce in flight, in the same order. */
        final ArrayDeque<String> inFlightHashes = new ArrayDeque<>();

        SelectionKey key;

        /** The swarms this peer is in, oldest first (with maxSwarms). */
        final ArrayDeque<String> swarms = new ArrayDeque<>();

        Peer(Worker worker, URI uri, String token, String forwardedFor, SocketChannel channel, String peerId) {
            this.worker = worker;
            this.uri = uri;
            this.token = token;
            this.forwardedFor = forwardedFor;
            this.channel = channel;
            this.peerId = peerId;
        }

        void connected(SelectionKey key) throws IOException {
            channel.finishConnect();
            String query = uri.getRawQuery();
            if (token != null) {
                query = (query == null ? "" : query + "&") + "token=" + token;
            }
            String path = uri.getRawPath() + (query == null ? "" : "?" + query);
            byte[] nonce = new byte[16];
            worker.random.nextBytes(nonce);
            String handshake = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nX-Forwarded-For: " + forwardedFor
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + java.util.Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            out.add(ByteBuffer.wrap(handshake.getBytes(StandardCharsets.US_ASCII)));
            this.key = key;
            key.interestOps(SelectionKey.OP_READ);
            flush(key);
        }

        void read(SelectionKey key) throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("closed by the server");
            }
            in.flip();
            if (!upgraded && !readHandshake()) {
                in.compact();
                return;
            }
            while (readFrame()) {
                // each complete frame is handled as it is read
            }
            in.compact();
            flush(key);
        }

        private boolean readHandshake() throws IOException {
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    byte[] head = new byte[i + 4 - in.position()];
                    in.get(head);
                    String status = new String(head, StandardCharsets.ISO_8859_1);
                    if (!status.startsWith("HTTP/1.1 101")) {
                        throw new IOException("upgrade refused: " + status.lines().findFirst().orElse(""));
                    }
                    upgraded = true;
                    open.increment();
                    if (PACE > 0) {
                        // A random phase, so that peers do not announce in step.
                        nextDue = (long) (worker.random.nextDouble() * 1e9 / PACE);
                        worker.waiting.add(this);
                    }
                    else {
                        announce();
                    }
                    return true;
                }
            }
            return false;
        }

        private boolean readFrame() throws IOException {
            int start = in.position();
            if (in.remaining() < 2) {
                return false;
            }
            int opcode = in.get(start) & 0x0F;
            int length = in.get(start + 1) & 0x7F;
            int header = 2;
            if (length == 126) {
                if (in.remaining() < 4) {
                    return false;
                }
                length = ((in.get(start + 2) & 0xFF) << 8) | (in.get(start + 3) & 0xFF);
                header = 4;
            }
            else if (length == 127) {
                throw new IOException("frame too large for this generator");
            }
            if (in.remaining() < header + length) {
                if (header + length > in.capacity()) {
                    throw new IOException("frame larger than the read buffer");
                }
                return false;
            }
            byte[] payload = new byte[length];
            in.position(start + header);
            in.get(payload);
            switch (opcode) {
                case 1 -> message(new String(payload, StandardCharsets.ISO_8859_1));
                case 8 -> throw new IOException("closed by the server: " + new String(payload, StandardCharsets.UTF_8));
                case 9 -> send(10, payload);
                default -> {
                }
            }
            return true;
        }

        private void message(String text) {
            if (text.contains("\"failure reason\"")) {
                // A refused announce is still the reply the peer waits for.
                errors.increment();
                if (PACE > 0) {
                    // Only a refused announce is a reply to one; a refused answer is not.
                    if (value(text, "info_hash") != null && value(text, "info_hash").equals(inFlightHashes.peek())) {
                        replied(false);
                    }
                }
                else if (announcedHash != null && announcedHash.equals(value(text, "info_hash"))) {
                    announceAnswered();
                }
            }
            else if (text.contains("\"warning message\"")) {
                errors.increment();
            }
            else if (text.contains("\"offer\":")) {
                offers.increment();
                String infoHash = value(text, "info_hash");
                // A player that has left a swarm drops the offers still arriving for it instead of answering.
                if (MAX_SWARMS == 0 || swarms.contains(infoHash)) {
                    answer(infoHash, value(text, "peer_id"), value(text, "offer_id"));
                }
                else {
                    dropped.increment();
                }
            }
            else if (text.contains("\"answer\":")) {
                answers.increment();
            }
            else if (text.contains("\"interval\"")) {
                if (PACE > 0) {
                    replied(true);
                }
                else {
                    announceReplies.increment();
                    announceAnswered();
                }
            }
        }

        /** Paced: the reply to the oldest announce in flight (both servers answer a socket's announces in order). */
        private void replied(boolean counted) {
            Long dueAt = inFlight.poll();
            inFlightHashes.poll();
            if (dueAt == null || !counted) {
                return;
            }
            if (dueAt == STOP) {
                stopReplies.increment();
            }
            else {
                announceReplies.increment();
                worker.recordLatency(System.nanoTime() - dueAt);
            }
        }

        /** Paced: sends the announce due at {@link #nextDue} (leaving the oldest swarm first if need be). */
        void announceDue(long now) {
            long dueAt = nextDue;
            nextDue += (long) (1e9 / PACE);
            if (!upgraded || !channel.isOpen()) {
                return;
            }
            if (now - dueAt > 10_000_000L) {
                late.increment();
            }
            announce();
            inFlight.add(dueAt);
            inFlightHashes.add(announcedHash);
            try {
                flush(key);
            }
            catch (IOException e) {
                closed.increment();
                key.cancel();
            }
        }

        private void stop(String infoHash) {
            String json = "{\"action\":\"announce\",\"info_hash\":\"" + infoHash + "\",\"peer_id\":\"" + peerId
                    + "\",\"numwant\":0,\"event\":\"stopped\",\"left\":0,\"offers\":[]}";
            inFlight.add(STOP);
            inFlightHashes.add(infoHash);
            send(1, json.getBytes(StandardCharsets.ISO_8859_1));
        }

        private void announceAnswered() {
            worker.recordLatency(System.nanoTime() - announcedAt);
            announce();
        }

        private void announce() {
            SplittableRandom random = worker.random;
            boolean seeder = random.nextDouble() < SEEDER_PROBABILITY;
            announcedHash = infoHashes[pickTorrent(random)];
            if (MAX_SWARMS > 0 && !swarms.contains(announcedHash)) {
                if (swarms.size() == MAX_SWARMS) {
                    stop(swarms.poll());
                }
                swarms.add(announcedHash);
            }
            StringBuilder json = new StringBuilder(1200).append("{\"action\":\"announce\",\"info_hash\":\"")
                    .append(announcedHash).append("\",\"peer_id\":\"").append(peerId).append("\",\"numwant\":")
                    .append(OFFERS_PER_ANNOUNCE).append(",\"event\":\"").append(seeder ? "completed" : "started")
                    .append("\",\"left\":").append(seeder ? 0 : 50).append(",\"offers\":[");
            for (int i = 0; i < OFFERS_PER_ANNOUNCE; i++) {
                json.append(i == 0 ? "" : ",").append("{\"offer_id\":\"").append(peerId, peerId.length() - 6,
                        peerId.length());
                String counter = Long.toString(offerCounter++);
                json.repeat('0', 14 - counter.length()).append(counter)
                        .append("\",\"offer\":{\"type\":\"offer\",\"sdp\":\"").append(SDP).append("\"}}");
            }
            json.append("]}");
            announcedAt = System.nanoTime();
            send(1, json.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        private void answer(String infoHash, String toPeerId, String offerId) {
            String json = "{\"action\":\"announce\",\"info_hash\":\"" + infoHash + "\",\"peer_id\":\"" + peerId
                    + "\",\"to_peer_id\":\"" + toPeerId + "\",\"offer_id\":\"" + offerId
                    + "\",\"answer\":{\"type\":\"answer\",\"sdp\":\"" + SDP + "\"}}";
            send(1, json.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Client frames must be masked (RFC 6455); a zero mask leaves the payload as it is. */
        private void send(int opcode, byte[] payload) {
            int header = payload.length < 126 ? 2 : 4;
            ByteBuffer frame = ByteBuffer.allocate(header + 4 + payload.length);
            frame.put((byte) (0x80 | opcode));
            if (payload.length < 126) {
                frame.put((byte) (0x80 | payload.length));
            }
            else {
                frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
            }
            frame.putInt(0).put(payload).flip();
            out.add(frame);
            if (opcode == 1) {
                requests.increment();
            }
        }

        void flush(SelectionKey key) throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer next = out.peek();
                channel.write(next);
                if (next.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                out.poll();
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        static String value(String json, String name) {
            String marker = "\"" + name + "\":\"";
            int from = json.indexOf(marker);
            if (from < 0) {
                return null;
            }
            from += marker.length();
            return json.substring(from, json.indexOf('"', from));
        }
    }
}
