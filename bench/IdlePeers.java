import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens N WebSocket connections to the tracker, announces each peer once into one of 50 swarms, then
 * keeps them open and idle until it is killed. It sends nothing more and answers no pings, so the tracker's
 * idle timeout, ping interval and token lifetime must be longer than the measurement (tracker-memory.sh sets
 * them). Spreads connections over source addresses 127.0.0.1..127.0.0.16 so that ephemeral ports do not run
 * out.
 *
 * <p>Each peer is a viewer behind a load balancer: with a client-config URL, every peer gets its own signaling
 * token for its own playback session from client-config (64 requests in flight), and every handshake carries
 * an X-Forwarded-For address from 198.18.0.0/15 (the benchmarking range, not private), four peers to an
 * address, which the tracker trusts from 127.0.0.1. Without one (the Tomcat endpoint, which checks nothing)
 * the token is "none"; the X-Forwarded-For header is sent all the same.
 *
 * <p>Usage: java bench/IdlePeers.java PORT COUNT [CLIENT_CONFIG_URL PUBLISHABLE_KEY]
 * CLIENT_CONFIG_URL is the application's base URL (http://host:port); tokens are asked for stream "bench".
 * With it, the tokens are fetched first, "tokens N" is printed, and the peers connect after a line arrives on
 * standard input, so that the caller can measure the server between the two. Prints "ready N" once all peers
 * have announced.
 */
public class IdlePeers {

    static final int PEERS_PER_ADDRESS = 4;

    static final int TOKEN_REQUESTS_IN_FLIGHT = 64;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        List<String> tokens;
        if (args.length > 3) {
            tokens = fetchTokens(args[2], args[3], count);
            System.out.println("tokens " + tokens.size());
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        }
        else {
            tokens = Collections.nCopies(count, "none");
        }
        List<Socket> sockets = new ArrayList<>(count);
        byte[] buffer = new byte[4096];
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress("127.0.0." + (1 + i % 16), 0));
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            out.write(("GET /v1/signal?token=" + tokens.get(i) + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Forwarded-For: " + forwardedFor(i) + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            readHandshake(in);
            String swarm = String.format("swarm-%014d", i % 50);
            String peer = String.format("peer-%015d", i);
            sendText(out, "{\"action\":\"announce\",\"event\":\"started\",\"info_hash\":\"" + swarm
                    + "\",\"peer_id\":\"" + peer + "\",\"numwant\":0,\"offers\":[]}");
            int read = in.read(buffer);
            String reply = read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
            if (reply.contains("\"failure reason\"")) {
                throw new IllegalStateException("peer " + i + " was refused: " + reply);
            }
            sockets.add(socket);
        }
        System.out.println("ready " + sockets.size());
        Thread.sleep(Long.MAX_VALUE);
    }

    private static final Pattern TOKEN = Pattern.compile("\"signaling\":\\{[^}]*\"token\":\"([^\"]+)\"");

    /**
     * One signaling token per peer, each for a session of its own, as client-config issues them to viewers. A
     * session in the holdout cohort gets no token; it is skipped for the next one.
     */
    static List<String> fetchTokens(String baseUrl, String key, int count) throws InterruptedException {
        ConcurrentLinkedQueue<String> issued = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(TOKEN_REQUESTS_IN_FLIGHT);
        int session = 0;
        // Closed before the peers connect, so that the application holds no connection of ours but theirs.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            while (issued.size() < count) {
                int before = issued.size();
                List<CompletableFuture<Void>> batch = new ArrayList<>();
                for (int i = before; i < count; i++) {
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
                                Matcher token = TOKEN.matcher(response.body());
                                if (token.find()) {
                                    issued.add(token.group(1));
                                }
                            }));
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                if (issued.size() == before) {
                    throw new IllegalStateException("client-config issued no signaling token for stream \"bench\"");
                }
            }
        }
        return List.copyOf(issued);
    }

    /** Peer n's client address: 198.18.0.0/15, PEERS_PER_ADDRESS peers to an address. */
    static String forwardedFor(int peer) {
        int address = (peer / PEERS_PER_ADDRESS) % (1 << 17);
        return "198." + (18 + (address >> 16)) + "." + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
    }

    private static void readHandshake(InputStream in) throws Exception {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        StringBuilder head = new StringBuilder();
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("handshake refused");
            }
            head.append((char) b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
    }

    // One write per frame (no small segments waiting on delayed ACKs). Client frames must be masked
    // (RFC 6455); a zero mask keeps the payload as it is. Payloads here are under 64 KiB.
    private static void sendText(OutputStream out, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81;
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
