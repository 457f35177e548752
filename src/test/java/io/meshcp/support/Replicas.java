package io.meshcp.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import io.meshcp.MeshControlPlaneApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Whole application instances started side by side in one JVM, against the tests' PostgreSQL and one Redis, as
 * replicas behind a load balancer would run. Their caches hold for 10 minutes, so whatever reaches one instance
 * from another in time went through Redis.
 */
public final class Replicas {

    public static final String REDIS_URL_VARIABLE = "MESHCP_TEST_REDIS_URL";

    private Replicas() {
    }

    /** Starts an instance using {@code redisUrl}, named {@code redisClientName} on Redis, with extra arguments. */
    public static ConfigurableApplicationContext start(String redisUrl, String redisClientName, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.url=" + redisUrl,
                "--spring.data.redis.client-name=" + redisClientName));
        arguments.addAll(List.of(extra));
        return startWithoutRedis(arguments.toArray(String[]::new));
    }

    /** Starts an instance on its own, as a single node without Redis runs, with extra arguments. */
    public static ConfigurableApplicationContext startWithoutRedis(String... extra) {
        return startWithoutRedis(TestDatabase.get(), extra);
    }

    /** {@link #startWithoutRedis(String...)} on another database than the other tests'. */
    public static ConfigurableApplicationContext startWithoutRedis(TestDatabase database, String... extra) {
        List<String> arguments = new ArrayList<>(database.springArguments());
        arguments.addAll(List.of("--server.port=0", "--meshcp.signaling.port=0",
                "--meshcp.embedded-postgres.enabled=false",
                "--meshcp.api-keys.cache-refresh=10m", "--meshcp.api-keys.cache-max-staleness=10m",
                "--meshcp.policies.cache-refresh=10m", "--meshcp.policies.cache-max-staleness=10m",
                "--meshcp.streams.cache-refresh=10m", "--meshcp.streams.cache-max-staleness=10m"));
        arguments.addAll(List.of(extra));
        return new SpringApplicationBuilder(MeshControlPlaneApplication.class).run(arguments.toArray(String[]::new));
    }

    public static int httpPort(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    /**
     * The Redis named by {@code MESHCP_TEST_REDIS_URL}, otherwise one answering on 127.0.0.1:6379; without either
     * the calling test class is skipped, except under {@code CI=true}, where it fails.
     */
    public static String redisUrl() {
        String url = System.getenv(REDIS_URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (System.getenv("CI") != null) {
            throw new IllegalStateException("CI must set " + REDIS_URL_VARIABLE + " (.ci/run does)");
        }
        assumeTrue(redisAnswersLocally(), "two-node tests need Redis: set " + REDIS_URL_VARIABLE
                + " or run one on 127.0.0.1:6379");
        return "redis://127.0.0.1:6379";
    }

    private static boolean redisAnswersLocally() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
