package io.meshcp.clientconfig;

import java.time.Instant;
import java.util.List;

import io.meshcp.policies.PolicyFields;
import io.meshcp.streams.Rendition;
import io.meshcp.streams.StreamKind;

/** The body of GET /v1/client-config; docs/client-config.md describes every field. */
record ClientConfigResponse(StreamInfo stream, String session, String cohort, String policyVersion, P2p p2p,
        PolicyFields policy, String swarmId, Signaling signaling, List<IceServer> iceServers, Telemetry telemetry,
        long refreshIntervalMs) {

    record StreamInfo(String id, StreamKind kind, String rendition, int contentVersion, List<Rendition> renditions) {
    }

    record P2p(boolean enabled, boolean upload, List<String> reasons, int maxPeers, int minSwarmSize,
            int latencyBudgetMs) {
    }

    /** Null when p2p is off: no token is issued then. */
    record Signaling(String url, String token, Instant expiresAt) {
    }

    record IceServer(List<String> urls) {
    }

    record Telemetry(String url, long intervalMs) {
    }
}
