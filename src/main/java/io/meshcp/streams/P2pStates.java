package io.meshcp.streams;

import java.util.UUID;

/**
 * Whether a stream's viewers may use p2p right now, as the streams list shows it. The policies module knows (kill
 * switches, policy levels, live events) and implements it, so that this module needs nothing of it.
 */
public interface P2pStates {

    P2pState of(UUID tenantId, StreamView stream);

    /** On or off, with a few words of why. */
    record P2pState(boolean on, String label) {
    }
}
