/**
 * API keys: secret keys ({@code mesh_sk_}) that authenticate the broadcaster REST API under
 * {@code /api/v1}, and publishable keys ({@code mesh_pk_}) that players embed, limited to allowed
 * origins. Keys are generated from a CSPRNG, shown once and stored as SHA-256 hashes; verification is
 * served from memory so the player hot path does not touch the database. Public API:
 * {@link io.meshcp.apikeys.ApiKeys}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "API keys",
        allowedDependencies = {"accounts", "audit", "database", "shared", "shared :: caching", "shared :: caller",
            "shared :: http", "shared :: limits", "shared :: problems"})
package io.meshcp.apikeys;
