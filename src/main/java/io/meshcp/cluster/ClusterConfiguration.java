package io.meshcp.cluster;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfigured.class)
class ClusterConfiguration {

    @Bean
    CacheInvalidations cacheInvalidations(ReactiveStringRedisTemplate redis, RedisMessageListenerContainer listeners,
            JsonMapper json, ApplicationEventPublisher events) {
        CacheInvalidations invalidations = new CacheInvalidations(redis, json, events);
        listeners.addMessageListener(invalidations, CacheInvalidations.CHANNEL);
        return invalidations;
    }

    @Bean
    InvalidationSubscription invalidationSubscription(RedisMessageListenerContainer listeners) {
        return new InvalidationSubscription(listeners);
    }
}
