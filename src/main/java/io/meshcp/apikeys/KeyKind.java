package io.meshcp.apikeys;

import java.util.regex.Pattern;

public enum KeyKind {
    /** For the broadcaster REST API; must stay on servers. */
    SECRET("mesh_sk_"),
    /** For players in web pages; only works from the key's allowed origins. */
    PUBLISHABLE("mesh_pk_");

    /** Random characters in a generated key: 43 x 5.95 = 256 bits. */
    static final int GENERATED_LENGTH = 43;

    private static final Pattern BODY = Pattern.compile("[A-Za-z0-9]{32,128}");

    private final String prefix;

    KeyKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** Whether {@code key} has this kind's format: the prefix and 32 to 128 characters of [A-Za-z0-9]. */
    public boolean matches(String key) {
        return key != null && key.startsWith(prefix) && BODY.matcher(key).region(prefix.length(), key.length()).matches();
    }

    static KeyKind of(String key) {
        for (KeyKind kind : values()) {
            if (kind.matches(key)) {
                return kind;
            }
        }
        return null;
    }
}
