package io.meshcp.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CDN of the player tests: streams under {@code /media/} and the player libraries under
 * {@code /npm/<package>@<version>/<path>}, laid out like cdn.jsdelivr.net/npm so that a page's libraries base URL can
 * point here instead, from {@code sdk/test/node_modules} ({@code npm ci --prefix sdk/test}). It answers cross-origin
 * requests, byte ranges and signed-URL-like query strings as a CDN does, and counts what it served per host name and
 * path, so that tests can tell how much of a stream came from the CDN rather than from peers. The same server
 * answers as {@code 127.0.0.1} and {@code localhost}, which tests use as two CDN host names.
 */
public final class StaticServer implements AutoCloseable {

    static final Path NODE_MODULES = Path.of("sdk", "test", "node_modules");

    private static final String LOOPBACK = "127.0.0.1";

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("m3u8", "application/vnd.apple.mpegurl"), Map.entry("ts", "video/mp2t"),
            Map.entry("m4s", "video/iso.segment"), Map.entry("mp4", "video/mp4"),
            Map.entry("mpd", "application/dash+xml"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("css", "text/css; charset=utf-8"));

    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final HttpServer server;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, Path> packages;

    private final List<Mount> mounts = new CopyOnWriteArrayList<>();

    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();

    private final List<LiveChannel> channels = new CopyOnWriteArrayList<>();

    private final Map<String, Served> served = new ConcurrentHashMap<>();

    /** Serves {@code media} under {@code /media/} and the packages of {@code sdk/test} under {@code /npm/}. */
    public StaticServer(Path media) {
        boolean installed = Files.isDirectory(NODE_MODULES.resolve("hls.js"));
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "player libraries are not installed: npm ci --prefix sdk/test");
        }
        else if (!installed) {
            throw new IllegalStateException("CI must install the player libraries (npm ci --prefix sdk/test)");
        }
        try {
            packages = packagesUnder(NODE_MODULES.toRealPath());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mount("/media/", media);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Serves the files under {@code directory} at {@code urlPrefix}; the longest matching prefix wins. */
    public StaticServer mount(String urlPrefix, Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no directory to serve at " + urlPrefix + ": " + directory);
        }
        try {
            mounts.add(new Mount(withSlashes(urlPrefix), directory.toRealPath()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mounts.sort(Comparator.comparingInt((Mount mount) -> mount.prefix().length()).reversed());
        return this;
    }

    /**
     * Serves the HLS VOD stream of MPEG-TS segments in {@code vodDirectory} (its {@code master.m3u8} and variants) as a
     * live channel at {@code urlPrefix}, starting now: media playlists whose window of the last
     * {@value LiveChannel#WINDOW} segments moves on by a segment every target duration, over the VOD's segments
     * looped for ever (a discontinuity at each loop), each under a URL of its own media sequence number so that no
     * two live segments share an address.
     */
    public StaticServer live(String urlPrefix, Path vodDirectory) {
        try {
            channels.add(new LiveChannel(withSlashes(urlPrefix), vodDirectory.toRealPath()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Serves {@code html} at exactly {@code path}, ahead of any mount. */
    public StaticServer page(String path, String html) {
        pages.put(path, html.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of {@code path} with the host name 127.0.0.1. */
    public String url(String path) {
        return url(LOOPBACK, path);
    }

    /** The URL of {@code path} with another name of this machine, such as {@code localhost}. */
    public String url(String host, String path) {
        return "http://" + host + ":" + port() + path;
    }

    /** Body bytes sent for request paths (query strings left out) that start with {@code pathPrefix}, any host. */
    public long bytesServed(String pathPrefix) {
        return served.entrySet().stream().filter(entry -> path(entry.getKey()).startsWith(pathPrefix))
                .mapToLong(entry -> entry.getValue().bytes().sum()).sum();
    }

    /** Body bytes sent for request paths that start with {@code pathPrefix} and asked of the host name {@code host}. */
    public long bytesServed(String host, String pathPrefix) {
        return served.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(host + "/") && path(entry.getKey()).startsWith(pathPrefix))
                .mapToLong(entry -> entry.getValue().bytes().sum()).sum();
    }

    /** GET requests answered with a body (200 or 206) whose paths start with {@code pathPrefix}, any host. */
    public long requestsServed(String pathPrefix) {
        return served.entrySet().stream().filter(entry -> path(entry.getKey()).startsWith(pathPrefix))
                .mapToLong(entry -> entry.getValue().requests().sum()).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private record Mount(String prefix, Path directory) {
    }

    private record Served(LongAdder requests, LongAdder bytes) {
    }

    private record Resource(Path file, byte[] content, String name) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Access-Control-Allow-Origin", "*");
            headers.set("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges");
            headers.set("Cache-Control", "no-store");
            // As a real CDN does: a wrong Content-Type then fails here as it would there.
            headers.set("X-Content-Type-Options", "nosniff");
            String method = exchange.getRequestMethod();
            if (method.equals("OPTIONS")) {
                headers.set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
                String requested = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
                if (requested != null) {
                    headers.set("Access-Control-Allow-Headers", requested);
                }
                headers.set("Access-Control-Max-Age", "600");
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                headers.set("Allow", "GET, HEAD, OPTIONS");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            // getPath() is already percent-decoded and leaves the query string out.
            String path = exchange.getRequestURI().getPath();
            Resource resource = resolve(path);
            if (resource == null) {
                notFound(exchange);
                return;
            }
            serve(exchange, method.equals("HEAD"), path, resource);
        }
    }

    private Resource resolve(String path) throws IOException {
        byte[] page = pages.get(path);
        if (page != null) {
            return new Resource(null, page, "page.html");
        }
        if (path.startsWith("/npm/")) {
            return npm(path.substring("/npm/".length()));
        }
        for (LiveChannel channel : channels) {
            if (path.startsWith(channel.prefix)) {
                return channel.resolve(path.substring(channel.prefix.length()));
            }
        }
        for (Mount mount : mounts) {
            if (path.startsWith(mount.prefix())) {
                return file(mount.directory(), path.substring(mount.prefix().length()));
            }
        }
        return null;
    }

    /** {@code <name>@<version>/<file>} or {@code @<scope>/<name>@<version>/<file>}; the version must match exactly. */
    private Resource npm(String path) throws IOException {
        int slash = path.indexOf('/', path.startsWith("@") ? path.indexOf('/') + 1 : 0);
        if (slash < 0) {
            return null;
        }
        Path directory = packages.get(path.substring(0, slash));
        return directory == null ? null : file(directory, path.substring(slash + 1));
    }

    /** Nothing outside {@code root}, whether by {@code ..}, an absolute path or a symbolic link. */
    private static Resource file(Path root, String relative) throws IOException {
        Path candidate = root.resolve(relative.replaceFirst("^/+", "")).normalize();
        if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
            return null;
        }
        Path real = candidate.toRealPath();
        return real.startsWith(root) ? new Resource(real, null, real.getFileName().toString()) : null;
    }

    private void serve(HttpExchange exchange, boolean head, String path, Resource resource) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        long length = resource.file() != null ? Files.size(resource.file()) : resource.content().length;
        headers.set("Content-Type", contentType(resource.name()));
        headers.set("Accept-Ranges", "bytes");
        long start = 0;
        long end = length - 1;
        int status = 200;
        String range = exchange.getRequestHeaders().getFirst("Range");
        // Several ranges at once would need a multipart answer; ignoring Range and sending everything is allowed.
        Matcher single = range == null ? null : SINGLE_RANGE.matcher(range.strip());
        if (single != null && single.matches() && !(single.group(1).isEmpty() && single.group(2).isEmpty())) {
            if (single.group(1).isEmpty()) {
                start = Math.max(0, length - Long.parseLong(single.group(2)));
            }
            else {
                start = Long.parseLong(single.group(1));
                end = single.group(2).isEmpty() ? end : Math.min(end, Long.parseLong(single.group(2)));
            }
            if (start >= length || start > end) {
                headers.set("Content-Range", "bytes */" + length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            headers.set("Content-Range", "bytes " + start + "-" + end + "/" + length);
            status = 206;
        }
        long count = end - start + 1;
        if (head) {
            headers.set("Content-Length", String.valueOf(count));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        // Zero means "chunked" to sendResponseHeaders, -1 means no body.
        exchange.sendResponseHeaders(status, count == 0 ? -1 : count);
        Served counter = served.computeIfAbsent(host(exchange) + path,
                key -> new Served(new LongAdder(), new LongAdder()));
        counter.requests().increment();
        try (InputStream in = resource.file() != null ? Files.newInputStream(resource.file())
                : new ByteArrayInputStream(resource.content()); OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(start);
            byte[] buffer = new byte[64 * 1024];
            long left = count;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    break;
                }
                out.write(buffer, 0, read);
                counter.bytes().add(read);
                left -= read;
            }
        }
    }

    /** What {@link #live} serves: playlists made at each request from the clock, segments from the VOD's files. */
    private static final class LiveChannel {

        static final int WINDOW = 10;

        private static final Pattern SEGMENT = Pattern.compile("(\\d+)\\.ts");

        final String prefix;

        private final Path directory;

        private final long startedNanos = System.nanoTime();

        /** Each variant playlist's path under the channel, and its VOD segments in order. */
        private final Map<String, List<VodSegment>> variants = new HashMap<>();

        private int targetDuration = 1;

        LiveChannel(String prefix, Path directory) throws IOException {
            this.prefix = prefix;
            this.directory = directory;
            for (String line : Files.readAllLines(directory.resolve("master.m3u8"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    variants.put(line.strip(), vodSegments(directory.resolve(line.strip())));
                }
            }
        }

        private List<VodSegment> vodSegments(Path playlist) throws IOException {
            List<VodSegment> segments = new ArrayList<>();
            String duration = null;
            for (String line : Files.readAllLines(playlist)) {
                if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                    targetDuration = Math.max(targetDuration,
                            Integer.parseInt(line.substring("#EXT-X-TARGETDURATION:".length()).strip()));
                }
                else if (line.startsWith("#EXTINF:")) {
                    duration = line.substring("#EXTINF:".length(), line.indexOf(','));
                }
                else if (!line.isBlank() && !line.startsWith("#")) {
                    if (!line.endsWith(".ts")) {
                        throw new IllegalArgumentException("live channels loop MPEG-TS segments only: " + line);
                    }
                    segments.add(new VodSegment(duration, playlist.resolveSibling(line.strip())));
                }
            }
            return List.copyOf(segments);
        }

        Resource resolve(String relative) {
            if (relative.equals("master.m3u8")) {
                return new Resource(directory.resolve("master.m3u8"), null, "master.m3u8");
            }
            List<VodSegment> playlist = variants.get(relative);
            if (playlist != null) {
                return new Resource(null, mediaPlaylist(playlist), "index.m3u8");
            }
            int slash = relative.lastIndexOf('/');
            List<VodSegment> segments = variants.get(relative.substring(0, slash + 1) + "index.m3u8");
            Matcher segment = SEGMENT.matcher(relative.substring(slash + 1));
            if (segments == null || !segment.matches() || segment.group(1).length() > 9) {
                return null;
            }
            long sequence = Long.parseLong(segment.group(1));
            if (sequence >= liveEdge()) {
                return null; // not published yet
            }
            Path file = segments.get((int) (sequence % segments.size())).file();
            return new Resource(file, null, file.getFileName().toString());
        }

        /** The media sequence number of the first segment not yet published. */
        private long liveEdge() {
            return WINDOW + (System.nanoTime() - startedNanos) / (targetDuration * 1_000_000_000L);
        }

        private byte[] mediaPlaylist(List<VodSegment> segments) {
            long edge = liveEdge();
            long first = edge - WINDOW;
            int loop = segments.size();
            StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
            playlist.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
            playlist.append("#EXT-X-MEDIA-SEQUENCE:").append(first).append('\n');
            // Segments of the k-th loop have discontinuity sequence k.
            playlist.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(first / loop).append('\n');
            for (long sequence = first; sequence < edge; sequence++) {
                if (sequence > first && sequence % loop == 0) {
                    playlist.append("#EXT-X-DISCONTINUITY\n");
                }
                playlist.append("#EXTINF:").append(segments.get((int) (sequence % loop)).duration()).append(",\n");
                playlist.append(sequence).append(".ts\n");
            }
            return playlist.toString().getBytes(StandardCharsets.UTF_8);
        }

        private record VodSegment(String duration, Path file) {
        }
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        byte[] body = "not found\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.sendResponseHeaders(404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    /** The host name the client asked for, without the port: what tells one CDN host name from the other. */
    private static String host(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return LOOPBACK;
        }
        int colon = host.lastIndexOf(':');
        return (colon > host.lastIndexOf(']') ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
    }

    private static String path(String hostAndPath) {
        return hostAndPath.substring(hostAndPath.indexOf('/'));
    }

    private static String withSlashes(String prefix) {
        String withLeading = prefix.startsWith("/") ? prefix : "/" + prefix;
        return withLeading.endsWith("/") ? withLeading : withLeading + "/";
    }

    /**
     * Every copy of every package by {@code name@version}, nested copies included: p2p-media-loader-shaka 2.2.2
     * brings its own p2p-media-loader-core 2.2.2 beside the top-level 2.3.1, and a page asks for each by version.
     * Breadth first, so that of two copies of one version the shallower one, which npm itself would load, wins.
     */
    private static Map<String, Path> packagesUnder(Path nodeModules) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Path> found = new HashMap<>();
        Deque<Path> pending = new ArrayDeque<>(List.of(nodeModules));
        while (!pending.isEmpty()) {
            for (Path directory : packageDirectories(pending.remove())) {
                Path manifest = directory.resolve("package.json");
                if (Files.isRegularFile(manifest)) {
                    JsonNode pkg = json.readTree(manifest.toFile());
                    found.putIfAbsent(pkg.path("name").asString() + "@" + pkg.path("version").asString(),
                            directory.toRealPath());
                }
                Path nested = directory.resolve("node_modules");
                if (Files.isDirectory(nested)) {
                    pending.add(nested);
                }
            }
        }
        return Map.copyOf(found);
    }

    private static List<Path> packageDirectories(Path nodeModules) throws IOException {
        List<Path> directories = new ArrayList<>();
        for (Path child : subdirectories(nodeModules)) {
            String name = child.getFileName().toString();
            if (name.startsWith("@")) {
                directories.addAll(subdirectories(child));
            }
            else if (!name.startsWith(".")) {
                directories.add(child);
            }
        }
        return directories;
    }

    private static List<Path> subdirectories(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }
}
