package io.meshcp.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.meshcp.policies.PolicyResolution.StreamLevel;
import io.meshcp.policies.PolicyResolution.TenantLevel;
import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.caching.ReadThroughCache;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The effective policy of a stream, answered from memory. A change drops the cached level as soon as it commits,
 * on this node directly and on the others within a second through the cache change log (io.meshcp.cluster), with
 * or without Redis; so a policy change, kill switch or new live event shows everywhere within a second. Each level
 * is also re-read in the background once older than {@code cache-refresh} (5 min) and never used older than
 * {@code cache-max-staleness} (15 min): a safety net for changes made outside the application, not the way
 * changes travel, so that the database is not asked again for every stream every second. Live-event windows are checked
 * against the clock on every call, so an event starts and ends on the second. While the database cannot be
 * reached, the levels last read apply, so players and the tracker keep going through an outage.
 */
@Service
public class PolicyResolver {

    private final PolicyLevels levels;

    private final ReadThroughCache<UUID, TenantLevel> tenants;

    private final ReadThroughCache<StreamKey, StreamLevel> streams;

    private final Clock clock;

    PolicyResolver(PolicyLevels levels, Clock clock, MeterRegistry meters,
            @Value("${meshcp.policies.cache-refresh:5m}") Duration refresh,
            @Value("${meshcp.policies.cache-max-staleness:15m}") Duration maxStaleness,
            DatabaseAvailability database) {
        this.levels = levels;
        this.clock = clock;
        this.tenants = new ReadThroughCache<>(levels::tenant, refresh, maxStaleness, 100_000, database);
        this.streams = new ReadThroughCache<>(key -> levels.stream(key.tenantId(), key.streamId()), refresh,
                maxStaleness, 500_000, database);
        // cache.gets counts resolutions (hit: from memory, miss: the caller waited on the database);
        // cache.load.duration is the time spent reading policy levels.
        tenants.monitor(meters, "policy-tenants");
        streams.monitor(meters, "policy-streams");
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
