package io.meshcp.policies;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.database.TenantId;
import io.meshcp.policies.PolicyResolution.StreamLevel;
import io.meshcp.policies.PolicyResolution.TenantLevel;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Reads one tenant's or one stream's level from the database: a few small indexed queries. */
@Component
class PolicyLevels {

    // Enough for any realistic schedule; resolution only needs the events around now.
    private static final int EVENTS_PER_STREAM = 50;

    private final PolicyVersionRepository versions;

    private final LiveEventRepository events;

    private final KillSwitchStore killSwitches;

    private final PolicyCodec codec;

    private final Clock clock;

    PolicyLevels(PolicyVersionRepository versions, LiveEventRepository events, KillSwitchStore killSwitches,
            PolicyCodec codec, Clock clock) {
        this.versions = versions;
        this.events = events;
        this.killSwitches = killSwitches;
        this.codec = codec;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    TenantLevel tenant(@TenantId UUID tenantId) {
        var latest = versions.latestTenantVersion(tenantId);
        KillSwitchStore.State killSwitch = killSwitches.state(tenantId, null);
        return new TenantLevel(latest.map(v -> codec.read(v.fields())).orElse(Map.of()),
                latest.map(PolicyVersion::version).orElse(0), killSwitch.engaged(), killSwitch.epoch());
    }

    @Transactional(readOnly = true)
    StreamLevel stream(@TenantId UUID tenantId, UUID streamId) {
        var latest = versions.latestStreamVersion(tenantId, streamId);
        List<LiveEventWindow> windows = events.openOrUpcoming(tenantId, streamId, clock.instant(),
                PageRequest.of(0, EVENTS_PER_STREAM)).stream()
                .map(e -> new LiveEventWindow(e.id(), e.name(), e.startsAt(), e.endsAt(), codec.read(e.overrides()),
                        e.updatedAt()))
                .toList();
        KillSwitchStore.State killSwitch = killSwitches.state(tenantId, streamId);
        return new StreamLevel(latest.map(v -> codec.read(v.fields())).orElse(Map.of()),
                latest.map(PolicyVersion::version).orElse(0), killSwitch.engaged(), killSwitch.autoGuard(),
                killSwitch.epoch(), windows);
    }
}
