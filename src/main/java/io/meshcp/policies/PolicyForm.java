package io.meshcp.policies;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;
import org.springframework.util.MultiValueMap;

/**
 * Policy fields as the dashboard's forms show and read them (the policy editor and live events): a label with its
 * unit and a line of explanation per field, an "override" box ({@code set.<name>}) and a value ({@code value.<name>})
 * per field, and a refused value kept as typed, next to its error.
 */
final class PolicyForm {

    private PolicyForm() {
    }

    /**
     * One field in a form: its API name, label and help, whether this level (or event) sets it, the value shown in
     * its input, and why a save refused it; for the policy editor also what is in force and from where.
     */
    record Row(String name, String label, String help, String range, boolean flag, boolean overridden, String shown,
            Object effective, PolicyLevel source, String error) {
    }

    /**
     * The rows of a form: ticked where {@code set} sets a field (or, after a refusal, where the user ticked it), each
     * showing what was typed, else what {@code set} sets, else {@code fallback}'s value.
     */
    static List<Row> rows(Map<PolicyField, Object> set, Map<PolicyField, Object> fallback, EffectivePolicy effective,
            MultiValueMap<String, String> typed, List<FieldError> errors) {
        List<Row> rows = new ArrayList<>();
        for (PolicyField field : PolicyField.values()) {
            String name = field.jsonName();
            boolean overridden = typed == null ? set.get(field) != null : typed.getFirst("set." + name) != null;
            Object shown = typed != null && typed.getFirst("value." + name) != null ? typed.getFirst("value." + name)
                    : set.get(field) != null ? set.get(field) : fallback.get(field);
            String error = errors.stream().filter(e -> e.field().equals(name)).map(FieldError::message).findFirst()
                    .orElse(null);
            rows.add(new Row(name, LABELS.get(field)[0], LABELS.get(field)[1], field.range(),
                    field.platformDefault() instanceof Boolean, overridden, String.valueOf(shown),
                    effective == null ? null : effective.values().toMap().get(field),
                    effective == null ? null : effective.sources().get(name), error));
        }
        return rows;
    }

    /** The platform defaults, which a form shows for fields nothing sets yet. */
    static Map<PolicyField, Object> platformDefaults() {
        Map<PolicyField, Object> defaults = new EnumMap<>(PolicyField.class);
        for (PolicyField field : PolicyField.values()) {
            defaults.put(field, field.platformDefault());
        }
        return defaults;
    }

    /** A field's label by its API name, such as "Latency budget (ms)" for {@code latencyBudgetMs}. */
    static Optional<String> label(String apiName) {
        for (PolicyField field : PolicyField.values()) {
            if (field.jsonName().equals(apiName)) {
                return Optional.of(LABELS.get(field)[0]);
            }
        }
        return Optional.empty();
    }

    /** What {@code fields} sets, one "label: value" line per field, as a schedule lists an event's overrides. */
    static List<String> describe(PolicyFields fields) {
        List<String> lines = new ArrayList<>();
        fields.toMap().forEach((field, value) -> lines.add(LABELS.get(field)[0] + ": " + switch (value) {
            case Boolean on -> on ? "on" : "off";
            default -> value.toString();
        }));
        return lines;
    }

    /** The ticked fields of a submitted form; a value that is not a number is refused naming its field. */
    static PolicyFields parse(MultiValueMap<String, String> form) {
        Map<PolicyField, Object> values = new EnumMap<>(PolicyField.class);
        List<FieldError> errors = new ArrayList<>();
        for (PolicyField field : PolicyField.values()) {
            if (form.getFirst("set." + field.jsonName()) == null) {
                continue;
            }
            String text = form.getFirst("value." + field.jsonName());
            if (text == null || text.isBlank()) {
                errors.add(new FieldError(field.jsonName(), "needs a value (or untick it to inherit)"));
                continue;
            }
            try {
                values.put(field, switch (field.platformDefault()) {
                    case Boolean b -> Boolean.valueOf(text);
                    case Integer i -> Integer.valueOf(text.strip());
                    default -> Double.valueOf(text.strip());
                });
            }
            catch (NumberFormatException e) {
                errors.add(new FieldError(field.jsonName(), "must be a number"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return PolicyFields.of(values);
    }

    // What ops staff read; the API's names stay in the API (and in small print beside each label).
    private static final Map<PolicyField, String[]> LABELS = Map.ofEntries(
            Map.entry(PolicyField.P2P_ENABLED, new String[] {"Peer-to-peer delivery",
                    "Off: every viewer loads every segment from the CDN."}),
            Map.entry(PolicyField.LATENCY_BUDGET_MS, new String[] {"Latency budget (ms)",
                    "How far behind the live edge a player may sit so that peers can share segments."}),
            Map.entry(PolicyField.MAX_PEERS_DESKTOP, new String[] {"Peers per desktop viewer",
                    "Connections a desktop browser keeps to other viewers (at most 12)."}),
            Map.entry(PolicyField.MAX_PEERS_MOBILE, new String[] {"Peers per mobile viewer",
                    "Connections a phone keeps; fewer save battery."}),
            Map.entry(PolicyField.MAX_PEERS_TV, new String[] {"Peers per TV viewer",
                    "Connections a TV or set-top box keeps."}),
            Map.entry(PolicyField.UPLOAD_ON_CELLULAR, new String[] {"Upload on cellular",
                    "Whether phones on mobile data send segments to others (it costs their data plan)."}),
            Map.entry(PolicyField.MIN_BATTERY_FOR_UPLOAD, new String[] {"Minimum battery to upload (0-1)",
                    "Below this charge level an unplugged device stops sending segments, e.g. 0.3 for 30%."}),
            Map.entry(PolicyField.UPLOAD_WHEN_CHARGING, new String[] {"Upload while charging",
                    "A plugged-in device sends segments whatever its battery level."}),
            Map.entry(PolicyField.MOBILE_DOWNLOAD_ONLY, new String[] {"Mobile viewers only download",
                    "Phones take segments from peers but never send any."}),
            Map.entry(PolicyField.MIN_SWARM_SIZE, new String[] {"Minimum viewers for p2p",
                    "Below this many viewers of a stream, nobody connects to peers."}),
            Map.entry(PolicyField.HOLDOUT_PERCENT, new String[] {"Holdout (% of viewers)",
                    "Viewers kept on the CDN only, to measure what p2p saves and costs against them."}));
}
