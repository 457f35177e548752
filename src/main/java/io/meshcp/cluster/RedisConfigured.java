package io.meshcp.cluster;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Redis is on when it is named; Boot's own default of localhost:6379 does not count. */
class RedisConfigured implements Condition {

    static boolean in(Environment environment) {
        return StringUtils.hasText(environment.getProperty("spring.data.redis.url"))
                || StringUtils.hasText(environment.getProperty("spring.data.redis.host"));
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return in(context.getEnvironment());
    }
}
