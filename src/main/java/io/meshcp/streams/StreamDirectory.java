package io.meshcp.streams;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.caching.ReadThroughCache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Finds a stream by the external id players send, from memory: a committed change drops the tenant's entries, on
 * this node directly and on the others within a second through the cache change log (io.meshcp.cluster), with or
 * without Redis. Each lookup (also of unknown ids) is re-read in the background once older than
 * {@code cache-refresh} (5 min) and never used older than {@code cache-max-staleness} (15 min), a safety net for
 * changes made outside the application. While the database cannot be reached, a stream
 * looked up before is found as last read.
 */
@Component
public class StreamDirectory {

    private final ReadThroughCache<Key, Optional<StreamView>> cache;

    private final ReadThroughCache<IdKey, Optional<StreamView>> byId;

    StreamDirectory(Streams streams, @Value("${meshcp.streams.cache-refresh:5m}") Duration refresh,
            @Value("${meshcp.streams.cache-max-staleness:15m}") Duration maxStaleness,
            DatabaseAvailability database) {
        this.cache = new ReadThroughCache<>(key -> streams.findByExternalId(key.tenantId(), key.externalId()),
                refresh, maxStaleness, 500_000, database);
        this.byId = new ReadThroughCache<>(key -> streams.findById(key.tenantId(), key.streamId()), refresh,
                maxStaleness, 500_000, database);
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
        cache.invalidateIf(key -> key.tenantId().equals(change.tenantId()));
        byId.invalidate(new IdKey(change.tenantId(), change.streamId()));
    }

    private record Key(UUID tenantId, String externalId) {
    }

    private record IdKey(UUID tenantId, UUID streamId) {
    }
}
