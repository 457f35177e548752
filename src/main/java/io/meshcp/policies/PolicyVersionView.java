package io.meshcp.policies;

import java.time.Instant;
import java.util.Map;

import io.meshcp.shared.caller.Source;

/** A saved version: what it set, what changed against the one before, and who saved it from where. */
public record PolicyVersionView(int version, PolicyFields policy, Map<String, Object> diff, String actor,
        Source source, Integer restoredFrom, Instant createdAt) {
}
