package io.meshcp.cluster;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Starts Boot's listener container off the start-up path and keeps trying while Redis cannot be reached: the
 * container itself fails the whole start-up when Redis is down at that moment, and a node must start and
 * serve without it (hence {@code spring.data.redis.listener.auto-startup: false}). Once subscribed, the
 * container and Lettuce resubscribe by themselves after a lost connection.
 */
class InvalidationSubscription implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InvalidationSubscription.class);

    private static final Duration RETRY = Duration.ofSeconds(5);

    private final RedisMessageListenerContainer container;

    private volatile Thread subscriber;

    InvalidationSubscription(RedisMessageListenerContainer container) {
        this.container = container;
    }

    @Override
    public void start() {
        Thread thread = Thread.ofVirtual().name("redis-invalidation-subscriber").unstarted(this::subscribe);
        subscriber = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread running = subscriber;
        subscriber = null;
        if (running != null) {
            running.interrupt();
        }
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return subscriber != null;
    }

    private void subscribe() {
        boolean failedBefore = false;
        while (subscriber == Thread.currentThread()) {
            try {
                container.start();
                if (failedBefore) {
                    log.info("Subscribed to {} after all; other nodes' changes reach this node's caches again",
                            CacheInvalidations.CHANNEL);
                }
                return;
            }
            catch (RuntimeException e) {
                container.stop();
                if (!failedBefore) {
                    log.warn("Cannot subscribe to {} (retrying every {} s); until then other nodes' changes reach "
                            + "this node when its caches expire: {}", CacheInvalidations.CHANNEL, RETRY.toSeconds(),
                            e.toString());
                    failedBefore = true;
                }
            }
            try {
                Thread.sleep(RETRY);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }
}
