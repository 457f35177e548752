package io.meshcp.apikeys;

import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Role;

/** A key that is valid right now, as the hot path sees it. */
public record VerifiedKey(UUID keyId, UUID tenantId, KeyKind kind, Role role, String name, String displayPrefix,
        List<String> allowedOrigins) {
}
