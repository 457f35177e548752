package io.meshcp.alerts;

import java.time.Instant;
import java.util.UUID;

/**
 * A rule's state on one stream: PENDING while its condition holds over less than the rule's window (a live event
 * that began a few minutes ago), FIRING once it holds over all of it. {@code value}: what was measured last (the
 * offload, the rebuffer difference's lower bound), null where nothing is measured.
 */
public record Alert(UUID ruleId, UUID streamId, String streamName, AlertKind kind, String description, String state,
        Instant since, Double value) {
}
