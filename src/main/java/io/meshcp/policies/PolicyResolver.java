package io.meshcp.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.meshcp.policies.PolicyResolution.StreamLevel;
import io.meshcp.policies.PolicyResolution.TenantLevel;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The effective policy of a stream, answered from memory. Each tenant's and each stream's level is
 * re-read in the background at most once per {@code cache-refresh} (500 ms) and never used when older than
 * {@code cache-max-staleness} (1.5 s); a change drops the cached level as soon as it commits, on this node
 * directly and on the others through Redis when it is configured. So a policy change, kill switch or new
 * live event shows within the staleness bound everywhere even without Redis. Live-event windows are checked
 * against the clock on every call, so an event starts and ends on the second.
 */
@Service
public class PolicyResolver {

    private final PolicyLevels levels;

    private final LoadingCache<UUID, TenantLevel> tenants;

    private final LoadingCache<StreamKey, StreamLevel> streams;

    private final Clock clock;

    PolicyResolver(PolicyLevels levels, Clock clock, MeterRegistry meters,
            @Value("${meshcp.policies.cache-refresh:500ms}") Duration refresh,
            @Value("${meshcp.policies.cache-max-staleness:1500ms}") Duration maxStaleness) {
        this.levels = levels;
        this.clock = clock;
        this.tenants = Caffeine.newBuilder().refreshAfterWrite(refresh).expireAfterWrite(maxStaleness)
                .maximumSize(100_000).recordStats().build(levels::tenant);
        this.streams = Caffeine.newBuilder().refreshAfterWrite(refresh).expireAfterWrite(maxStaleness)
                .maximumSize(500_000).recordStats().build(key -> levels.stream(key.tenantId(), key.streamId()));
        // cache.gets counts resolutions (hit: from memory, miss: the caller waited on the database);
        // cache.load.duration is the time spent reading policy levels.
        CaffeineCacheMetrics.monitor(meters, tenants, "policy-tenants");
        CaffeineCacheMetrics.monitor(meters, streams, "policy-streams");
    }

    /** The stream's effective policy now. The stream must belong to the tenant; the caller checks that. */
    public EffectivePolicy resolve(UUID tenantId, UUID streamId) {
        return resolveAt(tenantId, streamId, clock.instant());
    }

    /** The tenant default's effective policy (platform and tenant levels only). */
    public EffectivePolicy resolveTenant(UUID tenantId) {
        return PolicyResolution.resolve(tenants.get(tenantId), null, clock.instant());
    }

    EffectivePolicy resolveAt(UUID tenantId, UUID streamId, Instant at) {
        return PolicyResolution.resolve(tenants.get(tenantId), streams.get(new StreamKey(tenantId, streamId)), at);
    }

    /** Straight from the database, for pages and API responses that must show a change just made. */
    EffectivePolicy resolveFresh(UUID tenantId, UUID streamId) {
        return PolicyResolution.resolve(levels.tenant(tenantId), levels.stream(tenantId, streamId), clock.instant());
    }

    EffectivePolicy resolveTenantFresh(UUID tenantId) {
        return PolicyResolution.resolve(levels.tenant(tenantId), null, clock.instant());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(PolicyChanged change) {
        if (change.streamId() == null) {
            tenants.invalidate(change.tenantId());
        }
        else {
            streams.invalidate(new StreamKey(change.tenantId(), change.streamId()));
        }
    }

    private record StreamKey(UUID tenantId, UUID streamId) {
    }
}
