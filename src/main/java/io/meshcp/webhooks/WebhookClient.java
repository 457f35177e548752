package io.meshcp.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one delivery: a POST of the event's body, refused before connecting when the address is not one a webhook
 * may reach ({@link OutboundAddresses}, checked in the DNS resolver the connections use, so the address checked is
 * the address connected to), following at most {@value #MAX_REDIRECTS} redirects, each checked the same way. No
 * proxy, no cookies, no retries of its own (the dispatcher retries). A response is read up to
 * {@value #MAX_RESPONSE_BYTES} bytes, and the whole exchange may take {@code timeout} at most: a receiver that
 * trickles its answer cannot hold a sender.
 */
final class WebhookClient implements AutoCloseable {

    static final int MAX_REDIRECTS = 3;

    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    static final int SNIPPET_CHARS = 1024;

    /** What came of one delivery: a status (0 without a response), the response's start, or what went wrong. */
    record Outcome(int status, String response, String error, long latencyMillis) {

        boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    /** A connection this client would not make; the delivery fails with the reason as its error. */
    static final class RefusedAddressException extends UnknownHostException {

        RefusedAddressException(String message) {
            super(message);
        }
    }

    private final OutboundAddresses addresses;

    private final CloseableHttpClient http;

    private final Duration timeout;

    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("webhook-deadlines").factory());

    WebhookClient(OutboundAddresses addresses, Duration connectTimeout, Duration timeout) {
        this.addresses = addresses;
        this.timeout = timeout;
        DnsResolver checked = new DnsResolver() {

            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return check(SystemDefaultDnsResolver.INSTANCE.resolve(host), -1);
            }

            @Override
            public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
                InetAddress[] resolved = check(SystemDefaultDnsResolver.INSTANCE.resolve(host), port);
                return Arrays.stream(resolved).map(address -> new InetSocketAddress(address, port)).toList();
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(checked)
                        .setMaxConnTotal(64).setMaxConnPerRoute(4)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout)).setSocketTimeout(Timeout.of(timeout))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout))
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout)).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableAuthCaching().disableContentCompression().setUserAgent("meshcp-webhooks/1").build();
    }

    private InetAddress[] check(InetAddress[] resolved, int port) throws RefusedAddressException {
        String refusal = addresses.refusal(resolved, port);
        if (refusal != null) {
            throw new RefusedAddressException("refused: " + refusal
                    + " (webhooks go to public addresses only; see meshcp.webhooks.allowed-private-addresses)");
        }
        return resolved;
    }

    Outcome post(String url, Map<String, String> headers, String body) {
        long started = System.nanoTime();
        URI target = URI.create(url);
        try {
            for (int hop = 0;; hop++) {
                HttpPost post = new HttpPost(target);
                headers.forEach(post::setHeader);
                post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
                ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, remaining(started), TimeUnit.NANOSECONDS);
                try {
                    Response response = exchange(post);
                    if (response.isRedirect()) {
                        if (hop == MAX_REDIRECTS) {
                            return new Outcome(response.status(), response.snippet(), "more than " + MAX_REDIRECTS
                                    + " redirects", millisSince(started));
                        }
                        URI next = redirect(target, response.location().getValue());
                        if (next == null) {
                            return new Outcome(response.status(), response.snippet(), "a redirect to a URL that is "
                                    + "not http or https", millisSince(started));
                        }
                        target = next;
                        continue;
                    }
                    return new Outcome(response.status(), response.snippet(), null, millisSince(started));
                }
                finally {
                    deadline.cancel(false);
                }
            }
        }
        catch (RefusedAddressException e) {
            return new Outcome(0, null, e.getMessage(), millisSince(started));
        }
        catch (IOException | RuntimeException e) {
            String error = remaining(started) <= 0 ? "no answer within " + timeout.toSeconds() + " s" : describe(e);
            return new Outcome(0, null, error, millisSince(started));
        }
    }

    private record Response(int status, Header location, String snippet) {

        boolean isRedirect() {
            return location != null && (status == 301 || status == 302 || status == 303 || status == 307
                    || status == 308);
        }
    }

    /**
     * Sends one request and reads at most {@value #MAX_RESPONSE_BYTES} bytes of its answer. An answer read to its end
     * leaves the connection to be used again; a longer one is not drained but dropped, so a receiver that answers
     * without end cannot hold a sender.
     */
    private Response exchange(HttpPost post) throws IOException {
        ClassicHttpResponse answer = http.executeOpen(null, post, null);
        boolean whole = true;
        try {
            byte[] bytes = new byte[0];
            if (answer.getEntity() != null) {
                InputStream in = answer.getEntity().getContent();
                bytes = in.readNBytes(MAX_RESPONSE_BYTES);
                whole = in.read() < 0;
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            return new Response(answer.getCode(), answer.getFirstHeader("Location"),
                    text.length() > SNIPPET_CHARS ? text.substring(0, SNIPPET_CHARS) : text);
        }
        finally {
            if (answer instanceof ModalCloseable closeable) {
                closeable.close(whole ? CloseMode.GRACEFUL : CloseMode.IMMEDIATE);
            }
            else {
                answer.close();
            }
        }
    }

    private static URI redirect(URI from, String location) {
        try {
            URI next = from.resolve(location.strip());
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && next.getHost() != null ? next : null;
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private long remaining(long started) {
        return timeout.toNanos() - (System.nanoTime() - started);
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }
}
