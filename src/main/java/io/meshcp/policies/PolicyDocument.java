package io.meshcp.policies;

/**
 * One level's policy as the API shows it: what this level sets ({@code policy}), its version and
 * ETag, and the resulting effective policy with the level of every value.
 */
public record PolicyDocument(int version, String etag, PolicyFields policy, EffectivePolicy effective) {

    static String etag(int version) {
        return "\"v" + version + "\"";
    }
}
