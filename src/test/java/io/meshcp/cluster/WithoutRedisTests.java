package io.meshcp.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

@IntegrationTest
class WithoutRedisTests {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    @Test
    void aNodeWithoutRedisConfiguredHasNoRedisClientAndNoRedisHealthCheck() {
        assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
        assertThat(context.getBeanNamesForType(CacheInvalidations.class)).isEmpty();
        assertThat(context.containsBean("redisHealthContributor")).isFalse();
        assertThat(new Http(port).get("/actuator/health").status()).isEqualTo(200);
    }
}
