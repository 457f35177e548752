/** Read-through caches refreshed in the background, for the lookups on the player hot path. */
@org.springframework.modulith.NamedInterface("caching")
package io.meshcp.shared.caching;
