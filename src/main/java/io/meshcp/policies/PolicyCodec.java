package io.meshcp.policies;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores the fields a level sets as flat JSON ({@code {"maxPeers.mobile": 4}}) and computes diffs. */
@Component
class PolicyCodec {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JsonMapper json;

    PolicyCodec(JsonMapper json) {
        this.json = json;
    }

    String write(Map<PolicyField, Object> fields) {
        Map<String, Object> flat = new LinkedHashMap<>();
        fields.forEach((field, value) -> flat.put(field.jsonName(), value));
        return json.writeValueAsString(flat);
    }

    Map<PolicyField, Object> read(String text) {
        Map<String, Object> flat = json.readValue(text, MAP);
        Map<PolicyField, Object> fields = new EnumMap<>(PolicyField.class);
        for (PolicyField field : PolicyField.values()) {
            Object value = flat.get(field.jsonName());
            if (value instanceof Number number && field.type() == Integer.class) {
                value = number.intValue();
            }
            else if (value instanceof Number number && field.type() == Double.class) {
                value = number.doubleValue();
            }
            if (value != null) {
                fields.put(field, value);
            }
        }
        return fields;
    }

    /** {@code {"latencyBudgetMs": {"from": 6000, "to": 2000}}}; a null side means "not set at this level". */
    String diff(Map<PolicyField, Object> before, Map<PolicyField, Object> after) {
        Map<String, Object> diff = new LinkedHashMap<>();
        for (PolicyField field : PolicyField.values()) {
            Object from = before.get(field);
            Object to = after.get(field);
            if (!Objects.equals(from, to)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("from", from);
                change.put("to", to);
                diff.put(field.jsonName(), change);
            }
        }
        return json.writeValueAsString(diff);
    }

    Map<String, Object> readDiff(String text) {
        return json.readValue(text, MAP);
    }
}
