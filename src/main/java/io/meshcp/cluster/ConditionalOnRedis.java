package io.meshcp.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * For other modules' beans that exist only when several replicas share a Redis: the same test that decides
 * whether Boot's Redis client exists at all ({@code spring.data.redis.url} or {@code .host} set), so such a
 * bean never asks for a client that is not there.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(RedisConfigured.class)
public @interface ConditionalOnRedis {
}
