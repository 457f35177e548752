package io.meshcp.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint, without its secret.
 *
 * @param disabledReason why deliveries stopped by themselves (a day of failures); null otherwise
 * @param failingSince when its deliveries started failing without a success since; null while they succeed
 * @param previousSecretUntil until when deliveries are also signed with the secret a rotation replaced
 */
public record EndpointView(UUID id, String url, String description, List<String> events, boolean enabled,
        String disabledReason, Instant failingSince, Instant previousSecretUntil, Instant createdAt,
        String createdBy) {
}
