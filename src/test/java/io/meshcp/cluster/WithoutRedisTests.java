package io.meshcp.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.SessionRepository;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class WithoutRedisTests {

    // Package-private in the signaling module, so named rather than imported.
    static final String SWARMS = "io.meshcp.signaling.Swarms";

    static final String LOCAL_SWARMS = "io.meshcp.signaling.LocalSwarms";

    static final String REDIS_SWARMS = "io.meshcp.signaling.RedisSwarms";

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @Test
    void aNodeWithoutRedisConfiguredHasNoRedisClientNoRedisHealthCheckAndKeepsSessionsInMemory() {
        assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
        assertThat(context.getBeanNamesForType(CacheChangeLog.class)).as("other nodes' changes come through the "
                + "database").hasSize(1);
        assertThat(context.getBeanNamesForType(RedisRateLimiter.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SessionRepository.class)).isEmpty();
        assertThat(context.containsBean("redisHealthContributor")).isFalse();
        Http.Response health = new Http(port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").has("redis")).isFalse();
    }

    @Test
    void aNodeWithoutRedisKeepsItsSwarmsInMemoryAndItsSignalingIsNotDegraded() throws ClassNotFoundException {
        ClassLoader classes = getClass().getClassLoader();

        // The tracker is given the Swarms bean: this node's own, in memory.
        Object swarms = context.getBean(ClassUtils.forName(SWARMS, classes));
        assertThat(ClassUtils.getUserClass(swarms).getName()).isEqualTo(LOCAL_SWARMS);
        assertThat(context.getBeanNamesForType(ClassUtils.forName(REDIS_SWARMS, classes))).isEmpty();
        // The signaling check tells whether swarms are shared through Redis; a node on its own has none, so its
        // health never shows signaling DEGRADED.
        JsonNode components = new Http(port).get("/actuator/health").json().get("components");
        assertThat(components.has("signaling")).isFalse();
    }
}
