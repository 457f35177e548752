package io.meshcp.sdk;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A load balancer in front of the control plane's telemetry ingest that answers the first requests with 503 and
 * {@code Retry-After}, as an overloaded ingest does, and forwards the rest; it keeps the bodies of both. A proxy
 * rather than Playwright's routing, which does not see the SDK's {@code keepalive} fetches.
 */
final class BusyIngest implements AutoCloseable {

    private final HttpServer server;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final HttpClient client = HttpClient.newHttpClient();

    private final URI target;

    private final AtomicInteger refusalsLeft;

    final List<String> refusedBodies = new CopyOnWriteArrayList<>();

    final List<String> forwardedBodies = new CopyOnWriteArrayList<>();

    /** Refuses the first {@code refusals} POSTs, then forwards to {@code target} (the real telemetry URL). */
    BusyIngest(URI target, int refusals) {
        this.target = target;
        this.refusalsLeft = new AtomicInteger(refusals);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/telemetry", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/telemetry";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().set("Access-Control-Expose-Headers", "Retry-After");
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (refusalsLeft.getAndDecrement() > 0) {
                refusedBodies.add(body);
                exchange.getResponseHeaders().set("Retry-After", "1");
                answer(exchange, 503, "application/problem+json",
                        "{\"type\": \"about:blank\", \"title\": \"Service Unavailable\", \"status\": 503}");
                return;
            }
            forwardedBodies.add(body);
            HttpResponse<String> response;
            try {
                String query = exchange.getRequestURI().getRawQuery();
                URI forwarded = query == null ? target : URI.create(target + "?" + query);
                response = client.send(HttpRequest.newBuilder(forwarded)
                        .header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer(exchange, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
