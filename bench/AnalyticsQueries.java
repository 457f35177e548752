import java.io.IOException;
import java.io.PrintWriter;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Analytics latency as one user sees it: sequential requests from one client to the dashboard overview
 * (a logged-in browser session), the analytics page's data for each range, and every REST analytics query
 * (secret key). Queries take turns, one request each per round, so the noise of a shared machine spreads
 * over all of them alike; the first rounds are a warm-up. A query whose requests are slow stops after a
 * time budget, so one slow query cannot hold the run for an hour (its sample count says so).
 *
 * Usage:
 *   java bench/AnalyticsQueries.java BASE_URL SECRET_KEY OWNER_EMAIL OWNER_PASSWORD TOP_STREAM_ID TAIL_STREAM_ID
 *       WARMUP REQUESTS MAX_SECONDS TSV_OUT
 *   prints a Markdown table; writes "name TAB n TAB p50 TAB p95 TAB p99" per query (ms) to TSV_OUT.
 */
public class AnalyticsQueries {

    static final double TARGET_MS = 100;

    enum Auth { SESSION, KEY }

    record Query(String name, String path, Auth auth, String accept) {
    }

    static final class Result {

        final Query query;

        final List<Long> warmupNanos = new ArrayList<>();

        final List<Long> nanos = new ArrayList<>();

        long bytes;

        Result(Query query) {
            this.query = query;
        }

        static long total(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String secret = args[1];
        String email = args[2];
        String password = args[3];
        String top = args[4];
        String tail = args[5];
        int warmup = Integer.parseInt(args[6]);
        int requests = Integer.parseInt(args[7]);
        long budgetNanos = Duration.ofSeconds(Long.parseLong(args[8])).toNanos();
        Path tsv = Path.of(args[9]);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        logIn(client, base, email, password);

        List<Result> results = queries(top, tail).stream().map(Result::new).toList();
        for (int round = 0; round < warmup + requests; round++) {
            boolean warming = round < warmup;
            for (Result result : results) {
                // The warm-up gets a quarter of the budget: it only has to fill caches and JIT the code paths.
                List<Long> samples = warming ? result.warmupNanos : result.nanos;
                long budget = warming ? budgetNanos / 4 : budgetNanos;
                if (Result.total(samples) >= budget) {
                    continue;
                }
                long start = System.nanoTime();
                HttpResponse<byte[]> response = client.send(request(base, secret, result.query),
                        HttpResponse.BodyHandlers.ofByteArray());
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    System.err.printf("%s: status %d: %s%n", result.query.name(), response.statusCode(),
                            new String(response.body(), StandardCharsets.UTF_8));
                    System.exit(1);
                }
                samples.add(elapsed);
                result.bytes = response.body().length;
            }
        }

        System.out.println("| query | requests | p50 ms | p95 ms | p99 ms | max ms | response bytes | p95 <= 100 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(tsv))) {
            for (Result result : results) {
                long[] sorted = result.nanos.stream().mapToLong(Long::longValue).sorted().toArray();
                double p50 = percentile(sorted, 0.50);
                double p95 = percentile(sorted, 0.95);
                double p99 = percentile(sorted, 0.99);
                System.out.printf("| %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %s |%n", result.query.name(),
                        sorted.length, p50, p95, p99, sorted[sorted.length - 1] / 1e6, result.bytes,
                        p95 <= TARGET_MS ? "yes" : "**no**");
                out.printf("%s\t%d\t%.1f\t%.1f\t%.1f%n", result.query.name(), sorted.length, p50, p95, p99);
            }
        }
    }

    /**
     * What the overview, the analytics page (every range it offers, in a browser in Berlin) and a BI tool
     * pulling the REST API ask for; ranges end at the next whole minute, as the page's do.
     */
    static List<Query> queries(String top, String tail) {
        Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        List<Query> queries = new ArrayList<>();
        queries.add(new Query("dashboard overview `/`", "/", Auth.SESSION, "text/html"));
        for (int hours : new int[] {1, 6, 24, 168, 720}) {
            queries.add(new Query("page data `/analytics/data?hours=" + hours + "`",
                    "/analytics/data?hours=" + hours + "&zone=Europe/Berlin", Auth.SESSION, "application/json"));
        }
        // The analytics panel of the most watched stream's page.
        queries.add(new Query("stream page data `/analytics/data?hours=720&streamId=` top stream",
                "/analytics/data?hours=720&zone=Europe/Berlin&streamId=" + top, Auth.SESSION, "application/json"));
        for (int hours : new int[] {24, 720}) {
            queries.add(new Query("battery and quality page data `/analytics/quality/data?hours=" + hours + "`",
                    "/analytics/quality/data?hours=" + hours + "&zone=Europe/Berlin", Auth.SESSION,
                    "application/json"));
        }
        Object[][] timeseries = {
            {"minute", 1, null, null, null},
            {"minute", 6, top, "rendition", null},
            {"minute", 24, null, "device", null},
            {"minute", 168, null, null, null},
            {"hour", 24, null, null, null},
            {"hour", 168, null, "stream", null},
            {"hour", 720, top, null, null},
            {"hour", 720, null, "cohort", null},
            {"day", 720, null, null, "Europe/Berlin"},
            {"day", 720, null, "nat", "Europe/Berlin"},
            {"day", 720, tail, "network", "Europe/Berlin"},
            // Midnight inside a UTC hour: each day's first hour is split by its minutes.
            {"day", 720, null, "device", "Asia/Kolkata"},
        };
        for (Object[] t : timeseries) {
            String granularity = (String) t[0];
            int hours = (Integer) t[1];
            String stream = (String) t[2];
            String breakdown = (String) t[3];
            String zone = (String) t[4];
            queries.add(new Query("timeseries " + granularity + " " + range(hours)
                    + (stream == null ? "" : stream.equals(top) ? " top stream" : " tail stream")
                    + (breakdown == null ? "" : " by " + breakdown) + (zone == null ? "" : " " + zone),
                    "/api/v1/analytics/timeseries?" + window(to, hours) + "&granularity=" + granularity
                            + (stream == null ? "" : "&streamId=" + stream)
                            + (breakdown == null ? "" : "&breakdown=" + breakdown)
                            + (zone == null ? "" : "&zone=" + encode(zone)), Auth.KEY, "application/json"));
        }
        queries.add(new Query("timeseries CSV hour 7 d by stream", "/api/v1/analytics/timeseries?" + window(to, 168)
                + "&granularity=hour&breakdown=stream", Auth.KEY, "text/csv"));
        queries.add(new Query("summary 24 h", "/api/v1/analytics/summary?" + window(to, 24), Auth.KEY, "application/json"));
        queries.add(new Query("summary 30 d", "/api/v1/analytics/summary?" + window(to, 720), Auth.KEY, "application/json"));
        queries.add(new Query("summary 30 d top stream", "/api/v1/analytics/summary?" + window(to, 720) + "&streamId="
                + top, Auth.KEY, "application/json"));
        for (int hours : new int[] {24, 720}) {
            queries.add(new Query("ineligibility " + range(hours), "/api/v1/analytics/ineligibility?" + window(to, hours),
                    Auth.KEY, "application/json"));
        }
        for (int hours : new int[] {24, 720}) {
            queries.add(new Query("concurrency " + range(hours), "/api/v1/analytics/concurrency?" + window(to, hours),
                    Auth.KEY, "application/json"));
        }
        queries.add(new Query("live-events 30 d", "/api/v1/analytics/live-events?" + window(to, 720), Auth.KEY,
                "application/json"));
        return queries;
    }

    static String range(int hours) {
        return hours < 24 ? hours + " h" : hours == 24 ? "24 h" : hours / 24 + " d";
    }

    static String window(Instant to, int hours) {
        return "from=" + to.minus(Duration.ofHours(hours)) + "&to=" + to;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static HttpRequest request(String base, String secret, Query query) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + query.path()))
                .timeout(Duration.ofMinutes(5)).header("Accept", query.accept());
        if (query.auth() == Auth.KEY) {
            builder.header("Authorization", "Bearer " + secret);
        }
        return builder.GET().build();
    }

    /** Form login as a browser does it: the login page's CSRF token and session cookie, then the form post. */
    static void logIn(HttpClient client, String base, String email, String password)
            throws IOException, InterruptedException {
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(page.body());
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the login page (status " + page.statusCode() + ")");
        }
        String form = "email=" + encode(email) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String location = login.headers().firstValue("Location").orElse("");
        if (login.statusCode() != 302 || location.contains("/login")) {
            throw new IllegalStateException("login failed: status " + login.statusCode() + ", Location " + location);
        }
    }

    /** Nearest rank, in milliseconds. */
    static double percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
