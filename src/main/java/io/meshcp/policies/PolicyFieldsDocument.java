package io.meshcp.policies;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Each policy field's range in the OpenAPI document, from {@link PolicyField}, so that a generated client knows
 * what the API takes ({@code latencyBudgetMs} 500 to 120000, each {@code maxPeers} 0 to 12, ...) and the two never
 * disagree.
 */
@Component
class PolicyFieldsDocument implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI document) {
        Map<String, Schema<?>> schemas = new HashMap<>();
        if (document.getComponents() != null && document.getComponents().getSchemas() != null) {
            document.getComponents().getSchemas().forEach(schemas::put);
        }
        for (PolicyField field : PolicyField.values()) {
            if (field.min() == null) {
                continue;
            }
            String[] path = field.jsonName().split("\\.");
            Schema<?> owner = schemas.get(path.length == 1 ? "PolicyFields" : "MaxPeers");
            Schema<?> property = owner == null || owner.getProperties() == null ? null
                    : owner.getProperties().get(path[path.length - 1]);
            if (property != null) {
                property.setMinimum(new BigDecimal(field.min().toString()));
                property.setMaximum(new BigDecimal(field.max().toString()));
            }
        }
    }
}
