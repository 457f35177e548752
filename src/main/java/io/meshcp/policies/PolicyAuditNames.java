package io.meshcp.policies;

import java.util.Optional;

import io.meshcp.audit.AuditNames;
import org.springframework.stereotype.Component;

/** Policy fields by their dashboard labels in the audit log's sentences. */
@Component
class PolicyAuditNames implements AuditNames {

    @Override
    public Optional<String> policyFieldLabel(String apiName) {
        return PolicyForm.label(apiName);
    }
}
