package io.meshcp.apikeys;

import java.util.UUID;

/**
 * The publishable key a player request was authenticated with ({@link PublishableKeyFilter}): the principal of the
 * player endpoints. {@code keyHash} is the hex SHA-256 of the key, as {@link ApiKeys#hash} gives it, never the key.
 */
public record PlayerKey(UUID keyId, UUID tenantId, String keyHash) {

    /** The header a player may send its key in instead of the query parameter {@code key}. */
    public static final String HEADER = "X-Mesh-Key";
}
