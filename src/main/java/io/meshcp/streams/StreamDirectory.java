package io.meshcp.streams;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Finds a stream by the external id players send, from memory: each lookup (also of unknown ids) is
 * re-read in the background at most every {@code cache-refresh} (500 ms) and never used older than
 * {@code cache-max-staleness} (1.5 s); a committed change drops the tenant's entries, on this node directly
 * and on the others through Redis when it is configured.
 */
@Component
public class StreamDirectory {

    private final LoadingCache<Key, Optional<StreamView>> cache;

    private final LoadingCache<IdKey, Optional<StreamView>> byId;

    StreamDirectory(Streams streams, @Value("${meshcp.streams.cache-refresh:500ms}") Duration refresh,
            @Value("${meshcp.streams.cache-max-staleness:1500ms}") Duration maxStaleness) {
        this.cache = Caffeine.newBuilder().refreshAfterWrite(refresh).expireAfterWrite(maxStaleness)
                .maximumSize(500_000)
                .build(key -> streams.findByExternalId(key.tenantId(), key.externalId()));
        this.byId = Caffeine.newBuilder().refreshAfterWrite(refresh).expireAfterWrite(maxStaleness)
                .maximumSize(500_000)
                .build(key -> streams.findById(key.tenantId(), key.streamId()));
    }

    public Optional<StreamView> byExternalId(UUID tenantId, String externalId) {
        return cache.get(new Key(tenantId, externalId));
    }

    public Optional<StreamView> byId(UUID tenantId, UUID streamId) {
        return byId.get(new IdKey(tenantId, streamId));
    }

    // The external id itself may have changed, so every entry of the tenant goes.
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(StreamChanged change) {
        cache.asMap().keySet().removeIf(key -> key.tenantId().equals(change.tenantId()));
        byId.invalidate(new IdKey(change.tenantId(), change.streamId()));
    }

    private record Key(UUID tenantId, String externalId) {
    }

    private record IdKey(UUID tenantId, UUID streamId) {
    }
}
