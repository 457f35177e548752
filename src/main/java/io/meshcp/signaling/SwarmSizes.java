package io.meshcp.signaling;

import java.util.UUID;

import org.springframework.stereotype.Service;

/** How many peers the tracker holds for a stream right now (all renditions), for client-config. */
@Service
public class SwarmSizes {

    private final Swarms swarms;

    SwarmSizes(Swarms swarms) {
        this.swarms = swarms;
    }

    public int streamPeers(UUID tenantId, UUID streamId) {
        return swarms.streamPeers(tenantId, streamId);
    }
}
