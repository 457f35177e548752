import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Asks client-config once for each stream of each organisation (bench/stream-cache-memory.sh), so that the node
 * caches them all: a player's first request for a stream, with its own session, as players arrive.
 *
 * Usage: java bench/CachedStreams.java BASE_URL KEYS_FILE FIRST_STREAM STREAMS CONNECTIONS
 *   KEYS_FILE: one publishable key per line, one organisation each; streams are named s0, s1, ...;
 *   asks for streams FIRST_STREAM .. FIRST_STREAM + STREAMS - 1 of every organisation.
 *   prints: requests=... ok=... seconds=... and the count of every other status.
 */
public class CachedStreams {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        List<String> keys = Files.readAllLines(Path.of(args[1])).stream().filter(line -> !line.isBlank()).toList();
        int first = Integer.parseInt(args[2]);
        int streams = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        long total = (long) keys.size() * streams;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong next = new AtomicLong();
        LongAdder ok = new LongAdder();
        ConcurrentHashMap<String, LongAdder> others = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < connections; c++) {
                workers.submit(() -> {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        // Stream by stream across organisations, as players of many broadcasters arrive at once.
                        String key = keys.get((int) (i % keys.size()));
                        long stream = first + i / keys.size();
                        URI uri = URI.create(base + "/v1/client-config?key=" + key + "&stream=s" + stream
                                + "&rendition=720p&device=desktop&network=wifi&nat=port-restricted&session=cache-session-" + i);
                        String outcome;
                        try {
                            int status = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                                    HttpResponse.BodyHandlers.discarding()).statusCode();
                            outcome = status == 200 ? null : String.valueOf(status);
                        }
                        catch (Exception e) {
                            outcome = e.getClass().getSimpleName();
                        }
                        if (outcome == null) {
                            ok.increment();
                        }
                        else {
                            others.computeIfAbsent(outcome, o -> new LongAdder()).increment();
                        }
                    }
                    return null;
                });
            }
        }
        StringBuilder line = new StringBuilder(String.format("requests=%d ok=%d seconds=%.1f", total, ok.sum(),
                (System.nanoTime() - started) / 1e9));
        others.forEach((outcome, count) -> line.append(' ').append("status_").append(outcome).append('=').append(count));
        System.out.println(line);
    }
}
