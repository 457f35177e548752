/**
 * Small pieces every module uses, one theme per named interface, so that each module declares which it uses:
 * {@code problems} (the exceptions and the one translation to RFC 9457 problem details), {@code caller} (who is
 * calling, the tenant-scoped principal, where a change came from, client IP truncation), {@code limits} (token-bucket
 * rate limits and tallies, which the cluster module shares through Redis), {@code caching} (read-through caches),
 * {@code http} (request body limits, origins, public host names, the OpenAPI document) and {@code paging}. The root
 * package holds the rest: random tokens and hashes, log-safe text, display units and database availability. It
 * depends on no other module but the player vocabulary, whose codes the OpenAPI document lists.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared", allowedDependencies = "player")
package io.meshcp.shared;
