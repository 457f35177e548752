package io.meshcp.cluster;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One message on {@link CacheInvalidations#CHANNEL}. Unknown fields are ignored so that, during a rolling
 * update, an older node still reads what a newer one sends.
 *
 * @param node the sending node, so it can skip its own messages
 * @param kind what changed; says which of the other fields are set
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Invalidation(UUID node, Kind kind, UUID tenantId, UUID streamId, String externalId, String keyHash) {

    enum Kind {
        API_KEY, POLICY, STREAM
    }
}
