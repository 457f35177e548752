package io.meshcp.apikeys;

/**
 * Published when a key was created, revoked or rotated, so caches of its verification can be dropped once the
 * change commits. {@code keyHash} is the hex SHA-256 of the key, never the key itself.
 */
public record ApiKeyChanged(String keyHash) {
}
