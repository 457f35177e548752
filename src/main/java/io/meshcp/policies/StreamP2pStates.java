package io.meshcp.policies;

import java.util.UUID;

import io.meshcp.streams.P2pStates;
import io.meshcp.streams.StreamView;
import org.springframework.stereotype.Component;

/** A stream's p2p state from its effective policy now: what decides client-config, not what the stream says. */
@Component
class StreamP2pStates implements P2pStates {

    private final PolicyResolver resolver;

    StreamP2pStates(PolicyResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public P2pState of(UUID tenantId, StreamView stream) {
        if (stream.sensitive()) {
            return new P2pState(false, "sensitive: never p2p");
        }
        EffectivePolicy policy = resolver.resolve(tenantId, stream.id());
        if (policy.killSwitch() == KillSwitchScope.TENANT) {
            return new P2pState(false, "off: kill switch for every stream");
        }
        if (policy.killSwitch() == KillSwitchScope.AUTO_GUARD) {
            return new P2pState(false, "off: auto-guard (p2p viewers rebuffered more than the holdout)");
        }
        if (policy.killSwitch() == KillSwitchScope.STREAM) {
            return new P2pState(false, "off: kill switch");
        }
        if (!Boolean.TRUE.equals(policy.values().p2pEnabled())) {
            return new P2pState(false, "off by policy");
        }
        return new P2pState(true, policy.liveEvent() == null ? "on" : "on, live event " + policy.liveEvent().name());
    }
}
