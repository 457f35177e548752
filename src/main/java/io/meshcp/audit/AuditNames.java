package io.meshcp.audit;

import java.util.Optional;
import java.util.UUID;

/**
 * What the audit log's sentences name by their owners' words: implemented by the modules that own the names (streams
 * by their name, policy fields by their dashboard label), so that the audit module depends on none of them.
 */
public interface AuditNames {

    /** A stream's name now, if the organisation has it. */
    default Optional<String> streamName(UUID tenantId, UUID streamId) {
        return Optional.empty();
    }

    /** The dashboard's label of a policy field, given its API name ({@code latencyBudgetMs}). */
    default Optional<String> policyFieldLabel(String apiName) {
        return Optional.empty();
    }
}
