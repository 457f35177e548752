package io.meshcp.signaling;

import java.util.UUID;

/**
 * One swarm: peers of one tenant's stream announcing one info hash. p2p-media-loader derives an info
 * hash per rendition, so each rendition is its own swarm; tenants and streams never mix.
 */
record SwarmKey(UUID tenantId, UUID streamId, String infoHash) {
}
