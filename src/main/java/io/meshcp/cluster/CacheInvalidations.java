package io.meshcp.cluster;

import java.util.UUID;

import io.meshcp.apikeys.ApiKeyChanged;
import io.meshcp.cluster.Invalidation.Kind;
import io.meshcp.policies.PolicyChanged;
import io.meshcp.streams.StreamChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends every committed key, policy and stream change to the other nodes and replays theirs here.
 *
 * <p>A change from another node is published on this node as the same event, outside any transaction:
 * the caches listen with {@code fallbackExecution} and drop their entries, while the listeners below only
 * run after a commit, so a replayed change is never sent on again.
 */
class CacheInvalidations implements MessageListener {

    static final ChannelTopic CHANNEL = new ChannelTopic("meshcp:cache-invalidations");

    private static final Logger log = LoggerFactory.getLogger(CacheInvalidations.class);

    private final UUID node = UUID.randomUUID();

    private final ReactiveStringRedisTemplate redis;

    private final JsonMapper json;

    private final ApplicationEventPublisher events;

    CacheInvalidations(ReactiveStringRedisTemplate redis, JsonMapper json, ApplicationEventPublisher events) {
        this.redis = redis;
        this.json = json;
        this.events = events;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void on(ApiKeyChanged change) {
        send(new Invalidation(node, Kind.API_KEY, null, null, null, change.keyHash()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void on(PolicyChanged change) {
        send(new Invalidation(node, Kind.POLICY, change.tenantId(), change.streamId(), null, null));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void on(StreamChanged change) {
        send(new Invalidation(node, Kind.STREAM, change.tenantId(), change.streamId(), change.externalId(), null));
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        Invalidation invalidation;
        try {
            invalidation = json.readValue(message.getBody(), Invalidation.class);
        }
        catch (JacksonException e) {
            log.warn("Ignoring an unreadable message on {}: {}", CHANNEL, e.getOriginalMessage());
            return;
        }
        if (node.equals(invalidation.node()) || invalidation.kind() == null) {
            return;
        }
        events.publishEvent(switch (invalidation.kind()) {
            case API_KEY -> new ApiKeyChanged(invalidation.keyHash());
            case POLICY -> new PolicyChanged(invalidation.tenantId(), invalidation.streamId());
            case STREAM -> new StreamChanged(invalidation.tenantId(), invalidation.streamId(),
                    invalidation.externalId());
        });
    }

    // The caller has committed and is answering a user: it must neither wait on Redis nor fail with it. A lost
    // message only means the other nodes see the change when their cache entries expire.
    private void send(Invalidation invalidation) {
        redis.convertAndSend(CHANNEL.getTopic(), json.writeValueAsString(invalidation))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(receivers -> { }, error -> log.warn("Could not tell other nodes about a {} change "
                        + "through Redis; they see it when their caches expire: {}", invalidation.kind(),
                        error.toString()));
    }
}
