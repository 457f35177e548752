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

@IntegrationTest
class WithoutRedisTests {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @Test
    void aNodeWithoutRedisConfiguredHasNoRedisClientNoRedisHealthCheckAndKeepsSessionsInMemory() {
        assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
        assertThat(context.getBeanNamesForType(CacheInvalidations.class)).isEmpty();
        assertThat(context.getBeanNamesForType(RedisRateLimiter.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SessionRepository.class)).isEmpty();
        assertThat(context.containsBean("redisHealthContributor")).isFalse();
        Http.Response health = new Http(port).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").has("redis")).isFalse();
    }
}
