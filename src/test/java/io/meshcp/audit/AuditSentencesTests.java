package io.meshcp.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.meshcp.shared.caller.Source;
import org.junit.jupiter.api.Test;

/** Every audited type reads as a sentence that names streams and policy fields as the dashboard does. */
class AuditSentencesTests {

    static final UUID TENANT = UUID.randomUUID();

    static final UUID FINAL = UUID.randomUUID();

    static final UUID GONE = UUID.randomUUID();

    final AuditSentences sentences = new AuditSentences(List.of(new AuditNames() {
        @Override
        public Optional<String> streamName(UUID tenantId, UUID streamId) {
            return tenantId.equals(TENANT) && streamId.equals(FINAL) ? Optional.of("Cup final") : Optional.empty();
        }
    }, new AuditNames() {
        @Override
        public Optional<String> policyFieldLabel(String apiName) {
            return apiName.equals("latencyBudgetMs") ? Optional.of("Latency budget (ms)") : Optional.empty();
        }
    }));

    @Test
    void policyChangesSayWhoChangedWhatFromWhatToWhatOnWhichStream() {
        Map<String, Object> diff = new LinkedHashMap<>();
        diff.put("latencyBudgetMs", fromTo(null, 2000));
        diff.put("uploadOnCellular", fromTo(true, false));
        assertThat(read("POLICY_CHANGED", Map.of("scope", FINAL.toString(), "version", 3, "diff", diff)))
                .isEqualTo("ann@example.com changed the policy of Cup final: Latency budget (ms) from inherited to "
                        + "2000; uploadOnCellular from on to off (version 3).");
        assertThat(read("POLICY_RESTORED", Map.of("scope", "tenant", "version", 4, "restoredFrom", 1, "diff",
                Map.of("latencyBudgetMs", fromTo(2000, null))))).isEqualTo("ann@example.com restored version 1 of the "
                        + "organisation's default policy: Latency budget (ms) from 2000 to inherited (version 4).");
        // A stream removed since is named by its id rather than not at all.
        assertThat(read("POLICY_CHANGED", Map.of("scope", GONE.toString(), "version", 1, "diff", Map.of())))
                .isEqualTo("ann@example.com changed the policy of stream " + GONE + " (version 1).");
    }

    @Test
    void killSwitchesSayWhichStreamWhyAndWhenTheyReleaseThemselves() {
        Instant release = Instant.parse("2026-12-07T22:00:00Z");
        assertThat(parts("KILL_SWITCH_ENGAGED", Map.of("scope", "tenant", "reason", "CDN down", "releaseAt",
                release.toString()))).containsExactly("ann@example.com turned p2p off for every stream",
                        ", reason: “CDN down”", "; it releases itself ", "@" + release, ".");
        assertThat(read("KILL_SWITCH_ENGAGED", Map.of("scope", FINAL.toString())))
                .isEqualTo("ann@example.com turned p2p off for Cup final.");
        assertThat(read("KILL_SWITCH_RELEASED", Map.of("scope", FINAL.toString(), "automatic", true)))
                .isEqualTo("The kill switch of Cup final released itself at its release time.");
        assertThat(read("KILL_SWITCH_RELEASED", Map.of("scope", "tenant")))
                .isEqualTo("ann@example.com released the kill switch for every stream.");
    }

    @Test
    void streamsKeysTeamSettingsAndLiveEventsReadAsSentences() {
        assertThat(read("STREAM_CREATED", Map.of("externalId", "final", "name", "Cup final", "sensitive", false)))
                .isEqualTo("ann@example.com created the stream Cup final (final).");
        assertThat(read("STREAM_UPDATED", Map.of("name", "Cup final", "sensitive", true, "sensitiveChanged", true)))
                .isEqualTo("ann@example.com changed the stream Cup final, marking it sensitive (no p2p).");
        assertThat(read("STREAM_ARCHIVED", Map.of("externalId", "final", "streamId", FINAL.toString())))
                .isEqualTo("ann@example.com archived the stream Cup final.");
        assertThat(read("API_KEY_REVOKED", Map.of("kind", "SECRET", "name", "CI deploy", "prefix", "mesh_sk_AbCd")))
                .isEqualTo("ann@example.com revoked the secret key “CI deploy” (mesh_sk_AbCd…).");
        assertThat(read("MEMBER_ROLE_CHANGED", Map.of("member", "bob@example.com", "from", "VIEWER", "to", "OPS")))
                .isEqualTo("ann@example.com changed the role of bob@example.com from VIEWER to OPS.");
        assertThat(read("TENANT_SETTINGS_CHANGED", Map.of(
                "before", Map.of("name", "Acme", "cdnPricePerGb", "0.02", "currency", "USD"),
                "after", Map.of("name", "Acme", "cdnPricePerGb", "0.03", "currency", "EUR"))))
                .isEqualTo("ann@example.com changed the settings: CDN price per GB from 0.02 to 0.03; currency from "
                        + "USD to EUR.");
        Instant start = Instant.parse("2026-12-07T19:00:00Z");
        Instant end = Instant.parse("2026-12-07T22:00:00Z");
        assertThat(parts("LIVE_EVENT_SCHEDULED", Map.of("name", "Final", "streamId", FINAL.toString(), "startsAt",
                start.toString(), "endsAt", end.toString(), "overrides", Map.of("latencyBudgetMs", 2000))))
                .containsExactly("ann@example.com scheduled the live event “Final” on Cup final, ", "@" + start,
                        " to ", "@" + end, ", overriding Latency budget (ms) 2000", ".");
        assertThat(read("LOGIN_FAILED", Map.of(), "unknown account"))
                .isEqualTo("A sign-in to an unknown address failed.");
    }

    @Test
    void webhookEndpointsReadAsSentences() {
        String url = "https://ops.example.com/hooks";
        assertThat(read("WEBHOOK_CREATED", Map.of("url", url, "enabled", true)))
                .isEqualTo("ann@example.com added the webhook endpoint " + url + ".");
        assertThat(read("WEBHOOK_CHANGED", Map.of("url", url, "enabled", false)))
                .isEqualTo("ann@example.com changed the webhook endpoint " + url + " (disabled).");
        assertThat(read("WEBHOOK_SECRET_ROTATED", Map.of("url", url, "overlapHours", 24)))
                .isEqualTo("ann@example.com rotated the signing secret of the webhook endpoint " + url + ".");
        assertThat(read("WEBHOOK_DISABLED", Map.of("url", url, "reason", "deliveries have failed for 24 h (last: "
                + "HTTP 500)"), "webhook deliveries")).isEqualTo("The webhook endpoint " + url + " was disabled: "
                        + "deliveries have failed for 24 h (last: HTTP 500).");
    }

    @Test
    void theAutoGuardSaysWhatItDidOnWhatEvidence() {
        assertThat(read("AUTO_GUARD_ACTED", Map.of("streamId", FINAL.toString(), "p2pRebufferRatio", 0.0912,
                "holdoutRebufferRatio", 0.015, "p2pSessions", 412, "holdoutSessions", 38), "auto-guard"))
                .isEqualTo("The auto-guard turned p2p off for Cup final: p2p viewers rebuffered 9.12% of their watch "
                        + "time, holdout viewers 1.50% (412 and 38 sessions).");
        assertThat(read("AUTO_GUARD_SETTINGS_CHANGED", Map.of("scope", "tenant", "enabled", true, "margin", 0.01,
                "windowMinutes", 30, "minSessions", 100))).isEqualTo("ann@example.com turned the auto-guard on for "
                        + "every stream (margin 1.0 points, 30 min window, 100 sessions per cohort).");
        assertThat(read("AUTO_GUARD_SETTINGS_CHANGED", Map.of("scope", FINAL.toString(), "enabled", false)))
                .isEqualTo("ann@example.com turned the auto-guard off for Cup final.");
        assertThat(read("ALERT_RULE_CREATED", Map.of("description", "offload below 30% during a live event",
                "scope", FINAL.toString(), "forMinutes", 10))).isEqualTo("ann@example.com added the alert rule "
                        + "“offload below 30% during a live event” for Cup final (10 min).");
        assertThat(read("AUTO_GUARD_SETTINGS_CHANGED", Map.of("scope", FINAL.toString(), "inherits", true)))
                .isEqualTo("ann@example.com made Cup final follow the organisation's auto-guard settings.");
    }

    @Test
    void aTypeWithoutASentenceShowsItsCodeAndDetails() {
        assertThat(read("SOMETHING_NEW", Map.of("a", 1))).isEqualTo("SOMETHING_NEW {a=1}.");
    }

    private String read(String type, Map<String, Object> details) {
        return read(type, details, "ann@example.com");
    }

    private String read(String type, Map<String, Object> details, String actor) {
        return sentences.sentence(TENANT, entry(type, details, actor)).stream()
                .map(part -> part.text() != null ? part.text() : "@" + part.time()).collect(Collectors.joining());
    }

    private List<String> parts(String type, Map<String, Object> details) {
        return sentences.sentence(TENANT, entry(type, details, "ann@example.com")).stream()
                .map(part -> part.text() != null ? part.text() : "@" + part.time()).toList();
    }

    private static AuditEntry entry(String type, Map<String, Object> details, String actor) {
        return new AuditEntry(1, Instant.now(), type, actor, Source.DASHBOARD, "192.0.2.0", details);
    }

    private static Map<String, Object> fromTo(Object from, Object to) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("from", from);
        change.put("to", to);
        return change;
    }
}
