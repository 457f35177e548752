package io.meshcp.policies;

import java.util.UUID;

/**
 * Published when anything that feeds resolution changed: a tenant default or kill switch
 * ({@code streamId} null) or a stream's override, kill switch or live events.
 */
public record PolicyChanged(UUID tenantId, UUID streamId) {
}
