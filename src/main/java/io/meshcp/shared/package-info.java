/**
 * Small pieces every module uses: who is calling (the tenant-scoped principal), where a change came
 * from, client IP truncation for privacy, rate limiting by token bucket ({@code RateLimiter}, which the
 * cluster module shares through Redis), and the one translation of exceptions to RFC 9457 problem
 * details. It depends on no other module but the player vocabulary, whose codes the OpenAPI document lists.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared", allowedDependencies = "player")
package io.meshcp.shared;
