package io.meshcp.signaling;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

/** What the tracker holds for a stream right now: its peer count (for client-config) and its swarms. */
@Service
public class SwarmSizes {

    private final Swarms swarms;

    SwarmSizes(Swarms swarms) {
        this.swarms = swarms;
    }

    public int streamPeers(UUID tenantId, UUID streamId) {
        return swarms.streamPeers(tenantId, streamId);
    }

    /** The stream's live swarms, one per rendition (info hash), largest first. */
    public List<SwarmView> swarms(UUID tenantId, UUID streamId) {
        return swarms.ofStream(tenantId, streamId);
    }
}
