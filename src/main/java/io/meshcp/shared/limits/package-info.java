/** Rate limits and tallies: per node by default, shared through Redis by the cluster module when it is configured. */
@org.springframework.modulith.NamedInterface("limits")
package io.meshcp.shared.limits;
