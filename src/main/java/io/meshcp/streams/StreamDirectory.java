package io.meshcp.streams;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Finds a stream by the external id players send, from memory: each lookup (also of unknown ids) is
 * re-read in the background at most every {@link #REFRESH} and never used older than
 * {@link #MAX_STALENESS}; this node's own changes drop the tenant's entries once committed.
 */
@Component
public class StreamDirectory {

    static final Duration REFRESH = Duration.ofMillis(500);

    static final Duration MAX_STALENESS = Duration.ofMillis(1500);

    private final LoadingCache<Key, Optional<StreamView>> cache;

    private final LoadingCache<IdKey, Optional<StreamView>> byId;

    StreamDirectory(Streams streams) {
        this.cache = Caffeine.newBuilder().refreshAfterWrite(REFRESH).expireAfterWrite(MAX_STALENESS)
                .maximumSize(500_000)
                .build(key -> streams.findByExternalId(key.tenantId(), key.externalId()));
        this.byId = Caffeine.newBuilder().refreshAfterWrite(REFRESH).expireAfterWrite(MAX_STALENESS)
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
