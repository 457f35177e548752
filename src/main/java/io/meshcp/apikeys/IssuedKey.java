package io.meshcp.apikeys;

/** A newly created key. {@code key} is the only time the full key is available; it is not stored. */
public record IssuedKey(ApiKeyView view, String key) {
}
