package io.meshcp.apikeys;

import java.io.Serializable;

/**
 * A newly created key. {@code key} is the only time the full key is available; it is not stored. Serializable
 * because the keys page carries it across one redirect in the session, which may live in Redis until that next
 * page has read it.
 */
public record IssuedKey(ApiKeyView view, String key) implements Serializable {
}
