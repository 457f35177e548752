/**
 * Webhooks: an organisation's endpoints, told of kill switches, policy changes, live events and API keys by signed
 * HTTP deliveries ({@link io.meshcp.webhooks.Webhooks}). Events come from the audit log's records and the live
 * events' windows, written in the changing transaction; deliveries are rows, sent by every node, retried for a day,
 * and refused to any address outside the public internet. docs/webhooks.md says how to verify a delivery.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Webhooks",
        allowedDependencies = {"audit", "database", "policies", "shared", "shared :: caller", "shared :: problems"})
package io.meshcp.webhooks;
