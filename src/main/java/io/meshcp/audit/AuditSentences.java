package io.meshcp.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.stereotype.Component;

/**
 * Audit entries as the dashboard reads them: who did what, from what to what, on which stream by name ("Ann changed
 * the policy of Cup final: latency budget (ms) from 6000 to 2000"). A type it does not know reads as its code and
 * details, so nothing recorded is ever hidden.
 */
@Component
class AuditSentences {

    private final List<AuditNames> names;

    AuditSentences(List<AuditNames> names) {
        this.names = names;
    }

    /** A sentence in parts: text, with instants apart so that the page shows them in the viewer's zone. */
    record Part(String text, Instant time) {

        static Part text(String text) {
            return new Part(text, null);
        }

        static Part at(Instant time) {
            return new Part(null, time);
        }
    }

    List<Part> sentence(UUID tenantId, AuditEntry entry) {
        Builder out = new Builder();
        Map<String, Object> d = entry.details();
        String who = entry.actor();
        switch (entry.type()) {
            case "LOGIN_SUCCEEDED" -> out.add(who + " signed in");
            case "LOGIN_FAILED" -> out.add("unknown account".equals(who) ? "A sign-in to an unknown address failed"
                    : "A sign-in as " + who + " failed (wrong password)");
            case "TENANT_SIGNED_UP" -> out.add(who + " created the organisation " + text(d, "organisation"));
            case "SIGN_UP_WITH_MEMBER_ADDRESS" -> out.add("Someone tried to sign up a new organisation, "
                    + text(d, "organisation") + ", with the address of " + who + "; nothing was created");
            case "TENANT_SETTINGS_CHANGED" -> settings(out, who, d);
            case "MEMBER_INVITED" -> out.add(who + " invited " + text(d, "email") + " as " + role(d, "role"));
            case "INVITATION_REVOKED" -> out.add(who + " revoked the invitation of " + text(d, "email"));
            case "MEMBER_JOINED" -> out.add(text(d, "email") + " accepted the invitation and joined as "
                    + role(d, "role"));
            case "MEMBER_ROLE_CHANGED" -> out.add(who + " changed the role of " + text(d, "member") + " from "
                    + role(d, "from") + " to " + role(d, "to"));
            case "MEMBER_REMOVED" -> out.add(who.equals(d.get("member")) ? who + " left the organisation"
                    : who + " removed " + text(d, "member") + " (" + role(d, "role") + ")");
            case "API_KEY_CREATED" -> {
                out.add(who + " created " + key(d));
                Instant expires = instant(d.get("expiresAt"));
                if (expires != null) {
                    out.add(", expiring ").at(expires);
                }
            }
            case "API_KEY_REVOKED" -> out.add(who + " revoked " + key(d));
            case "API_KEY_ROTATED" -> {
                out.add(who + " rotated " + key(d) + "; its successor is " + text(d, "successorPrefix") + "…");
                Instant until = instant(d.get("oldKeyValidUntil"));
                if (until != null) {
                    out.add(", and the old key works until ").at(until);
                }
            }
            case "STREAM_CREATED" -> out.add(who + " created the stream " + text(d, "name") + " ("
                    + text(d, "externalId") + ")" + (Boolean.TRUE.equals(d.get("sensitive")) ? ", marked sensitive"
                            : ""));
            case "STREAM_UPDATED" -> out.add(who + " changed the stream " + text(d, "name")
                    + (Boolean.TRUE.equals(d.get("sensitiveChanged")) ? Boolean.TRUE.equals(d.get("sensitive"))
                            ? ", marking it sensitive (no p2p)" : ", no longer sensitive" : ""));
            case "STREAM_ARCHIVED" -> out.add(who + " archived the stream " + stream(tenantId, d));
            case "STREAM_RESTORED" -> out.add(who + " restored the archived stream " + stream(tenantId, d));
            case "STREAM_CONTENT_VERSION_RAISED" -> out.add(who + " started content version "
                    + text(d, "contentVersion") + " of " + stream(tenantId, d) + " (new swarms)");
            case "POLICY_CHANGED", "POLICY_RESTORED" -> policy(out, tenantId, entry, d);
            case "KILL_SWITCH_ENGAGED" -> {
                out.add(who + " turned p2p off " + (isTenant(d) ? "for every stream" : "for " + scope(tenantId, d)));
                if (d.get("reason") != null) {
                    out.add(", reason: “" + d.get("reason") + "”");
                }
                Instant release = instant(d.get("releaseAt"));
                if (release != null) {
                    out.add("; it releases itself ").at(release);
                }
            }
            case "KILL_SWITCH_RELEASED" -> out.add(Boolean.TRUE.equals(d.get("automatic"))
                    ? "The kill switch " + switchOf(tenantId, d) + " released itself at its release time"
                    : who + " released the kill switch " + switchOf(tenantId, d));
            case "LIVE_EVENT_SCHEDULED", "LIVE_EVENT_CHANGED", "LIVE_EVENT_CANCELLED" -> liveEvent(out, tenantId,
                    entry, d);
            case "AUTO_GUARD_ACTED" -> out.add("The auto-guard turned p2p off for " + name(tenantId, d.get("streamId"))
                    .orElse("stream " + d.get("streamId")) + ": p2p viewers rebuffered " + percent(d.get(
                    "p2pRebufferRatio")) + " of their watch time, holdout viewers " + percent(d.get(
                    "holdoutRebufferRatio")) + " (" + d.get("p2pSessions") + " and " + d.get("holdoutSessions")
                    + " sessions)");
            case "AUTO_GUARD_SETTINGS_CHANGED" -> out.add(Boolean.TRUE.equals(d.get("inherits"))
                    ? who + " made " + scope(tenantId, d) + " follow the organisation's auto-guard settings"
                    : who + " turned the auto-guard " + (Boolean.TRUE.equals(d.get("enabled")) ? "on" : "off") + " "
                            + (isTenant(d) ? "for every stream" : "for " + scope(tenantId, d))
                            + (Boolean.TRUE.equals(d.get("enabled")) ? " (margin " + points(d.get("margin"))
                                    + ", " + d.get("windowMinutes") + " min window, " + d.get("minSessions")
                                    + " sessions per cohort)" : ""));
            case "ALERT_RULE_CREATED" -> out.add(who + " added the alert rule “" + text(d, "description") + "” for "
                    + (isTenant(d) ? "every stream" : scope(tenantId, d)) + " (" + d.get("forMinutes") + " min)");
            case "ALERT_RULE_CHANGED" -> out.add(who + " changed the alert rule “" + text(d, "description") + "”");
            case "ALERT_RULE_DELETED" -> out.add(who + " deleted the alert rule “" + text(d, "description") + "”");
            case "WEBHOOK_CREATED" -> out.add(who + " added the webhook endpoint " + text(d, "url"));
            case "WEBHOOK_CHANGED" -> out.add(who + " changed the webhook endpoint " + text(d, "url")
                    + (Boolean.FALSE.equals(d.get("enabled")) ? " (disabled)" : ""));
            case "WEBHOOK_DELETED" -> out.add(who + " deleted the webhook endpoint " + text(d, "url"));
            case "WEBHOOK_SECRET_ROTATED" -> out.add(who + " rotated the signing secret of the webhook endpoint "
                    + text(d, "url"));
            case "WEBHOOK_REDELIVERED" -> out.add(who + " sent a delivery to the webhook endpoint " + text(d, "url")
                    + " again");
            case "WEBHOOK_DISABLED" -> out.add("The webhook endpoint " + text(d, "url") + " was disabled: "
                    + text(d, "reason"));
            default -> {
                out.add(entry.type());
                if (!d.isEmpty()) {
                    out.add(" " + d);
                }
            }
        }
        return out.parts();
    }

    private void settings(Builder out, String who, Map<String, Object> d) {
        Map<?, ?> before = d.get("before") instanceof Map<?, ?> map ? map : Map.of();
        Map<?, ?> after = d.get("after") instanceof Map<?, ?> map ? map : Map.of();
        List<String> changes = new ArrayList<>();
        Map<String, String> labels = Map.of("name", "name", "cdnPricePerGb", "CDN price per GB", "currency",
                "currency", "defaultAllowedOrigins", "default allowed origins", "telemetryRetentionDays",
                "days raw telemetry is kept");
        labels.forEach((field, label) -> {
            if (!Objects.equals(before.get(field), after.get(field))) {
                changes.add(label + " from " + value(before.get(field)) + " to " + value(after.get(field)));
            }
        });
        out.add(who + " changed the settings" + (changes.isEmpty() ? " (nothing that shows)"
                : ": " + String.join("; ", changes.stream().sorted().toList())));
    }

    private void policy(Builder out, UUID tenantId, AuditEntry entry, Map<String, Object> d) {
        String of = isTenant(d) ? "the organisation's default policy" : "the policy of " + scope(tenantId, d);
        out.add(entry.actor() + (entry.type().equals("POLICY_RESTORED")
                ? " restored version " + text(d, "restoredFrom") + " of " + of
                : " changed " + of));
        Map<?, ?> diff = d.get("diff") instanceof Map<?, ?> map ? map : Map.of();
        List<String> changes = new ArrayList<>();
        diff.forEach((field, change) -> {
            Map<?, ?> fromTo = change instanceof Map<?, ?> map ? map : Map.of();
            changes.add(fieldLabel(String.valueOf(field)) + " from " + setting(fromTo.get("from")) + " to "
                    + setting(fromTo.get("to")));
        });
        if (!changes.isEmpty()) {
            out.add(": " + String.join("; ", changes));
        }
        out.add(" (version " + text(d, "version") + ")");
    }

    private void liveEvent(Builder out, UUID tenantId, AuditEntry entry, Map<String, Object> d) {
        String verb = switch (entry.type()) {
            case "LIVE_EVENT_SCHEDULED" -> " scheduled";
            case "LIVE_EVENT_CHANGED" -> " changed";
            default -> " cancelled";
        };
        out.add(entry.actor() + verb + " the live event “" + text(d, "name") + "” on "
                + name(tenantId, d.get("streamId")).orElse("a stream") + ", ");
        Instant starts = instant(d.get("startsAt"));
        Instant ends = instant(d.get("endsAt"));
        if (starts != null && ends != null) {
            out.at(starts).add(" to ").at(ends);
        }
        Map<?, ?> overrides = d.get("overrides") instanceof Map<?, ?> map ? map : Map.of();
        if (!overrides.isEmpty()) {
            List<String> values = new ArrayList<>();
            overrides.forEach((field, value) -> values.add(fieldLabel(String.valueOf(field)) + " " + setting(value)));
            out.add(", overriding " + String.join("; ", values));
        }
    }

    private String key(Map<String, Object> d) {
        String kind = String.valueOf(d.getOrDefault("kind", "")).toLowerCase(Locale.ROOT);
        return "the " + kind + " key “" + text(d, "name") + "” (" + text(d, "prefix") + "…)";
    }

    private String switchOf(UUID tenantId, Map<String, Object> d) {
        return isTenant(d) ? "for every stream" : "of " + scope(tenantId, d);
    }

    private static String percent(Object ratio) {
        return ratio instanceof Number number ? String.format(Locale.ROOT, "%.2f%%", 100 * number.doubleValue())
                : String.valueOf(ratio);
    }

    private static String points(Object ratio) {
        return ratio instanceof Number number ? String.format(Locale.ROOT, "%.1f points", 100 * number.doubleValue())
                : String.valueOf(ratio);
    }

    private static boolean isTenant(Map<String, Object> d) {
        return "tenant".equals(d.get("scope"));
    }

    /** The stream a scope names, by name; its id when it is gone. */
    private String scope(UUID tenantId, Map<String, Object> d) {
        Object scope = d.get("scope");
        return name(tenantId, scope).orElse("stream " + scope);
    }

    private String stream(UUID tenantId, Map<String, Object> d) {
        return name(tenantId, d.get("streamId")).or(() -> Optional.ofNullable(d.get("name")).map(String::valueOf))
                .orElse(text(d, "externalId"));
    }

    private Optional<String> name(UUID tenantId, Object streamId) {
        UUID id;
        try {
            id = streamId == null ? null : UUID.fromString(String.valueOf(streamId));
        }
        catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null) {
            return Optional.empty();
        }
        UUID stream = id;
        return first(n -> n.streamName(tenantId, stream));
    }

    private String fieldLabel(String apiName) {
        return first(n -> n.policyFieldLabel(apiName)).orElse(apiName);
    }

    private Optional<String> first(Function<AuditNames, Optional<String>> lookup) {
        return names.stream().map(lookup).flatMap(Optional::stream).findFirst();
    }

    private static String setting(Object value) {
        return value == null ? "inherited" : value instanceof Boolean on ? (on ? "on" : "off") : value.toString();
    }

    private static String value(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "none" : String.join(", ", list.stream().map(String::valueOf).toList());
        }
        return value == null ? "none" : value.toString();
    }

    private static String text(Map<String, Object> d, String key) {
        Object value = d.get(key);
        return value == null ? "?" : value.toString();
    }

    private static String role(Map<String, Object> d, String key) {
        return text(d, key);
    }

    private static Instant instant(Object text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.toString());
        }
        catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final class Builder {

        private final List<Part> parts = new ArrayList<>();

        Builder add(String text) {
            parts.add(Part.text(text));
            return this;
        }

        Builder at(Instant time) {
            parts.add(Part.at(time));
            return this;
        }

        List<Part> parts() {
            parts.add(Part.text("."));
            return parts;
        }
    }
}
