package io.meshcp.signaling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket client for tracker tests: sends JSON, collects every message and the close code. */
public final class PeerClient implements WebSocket.Listener, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private volatile String closeReason;

    private final StringBuilder partial = new StringBuilder();

    private final WebSocket socket;

    private PeerClient(int port, String token, String forwardedFor) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (forwardedFor != null) {
            builder.header("X-Forwarded-For", forwardedFor);
        }
        this.socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/v1/signal?token=" + token), this)
                .join();
    }

    public static PeerClient connect(int port, String token) {
        return new PeerClient(port, token, null);
    }

    /** Connects as a load balancer on this machine would for a client at {@code forwardedFor}. */
    static PeerClient connectFrom(int port, String token, String forwardedFor) {
        return new PeerClient(port, token, forwardedFor);
    }

    /** Whether the server has closed this socket (without waiting). */
    boolean isClosed() {
        return closed.isDone();
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    /** Sends one message as several frames (a fragmented message). */
    void sendFragmented(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** The next message, or null after two seconds of silence. */
    public JsonNode next() throws InterruptedException {
        return messages.poll(2, TimeUnit.SECONDS);
    }

    /** The next message that has {@code field}, skipping others; null after two seconds. */
    public JsonNode nextWith(String field) throws InterruptedException {
        return nextWith(field, Duration.ofSeconds(2));
    }

    /** The next message that has {@code field}, skipping others; null after {@code timeout}. */
    public JsonNode nextWith(String field, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message != null && message.has(field)) {
                return message;
            }
        }
        return null;
    }

    /** No message with {@code field} arrives within half a second. */
    public boolean silentOn(String field) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < deadline) {
            JsonNode message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message != null && message.has(field)) {
                return false;
            }
        }
        return true;
    }

    /** The messages received and not taken yet, without waiting; in the order they arrived. */
    public List<JsonNode> received() {
        List<JsonNode> received = new ArrayList<>();
        messages.drainTo(received);
        return received;
    }

    /** The reason of the close the server sent, once {@link #closeCode} has returned it; else null. */
    public String closeReason() {
        return closeReason;
    }

    /** The close status the server sent, waiting up to five seconds. */
    public int closeCode() throws Exception {
        return closed.get(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(JSON.readTree(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS);
        }
        socket.abort();
    }
}
