package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Role;
import io.meshcp.client.ApiClient;
import io.meshcp.client.ApiException;
import io.meshcp.client.JSON;
import io.meshcp.client.api.AnalyticsApi;
import io.meshcp.client.api.ApiKeysApi;
import io.meshcp.client.api.AuditLogApi;
import io.meshcp.client.api.LiveEventsApi;
import io.meshcp.client.api.PlayerTelemetryApi;
import io.meshcp.client.api.PoliciesAndKillSwitchesApi;
import io.meshcp.client.api.StreamsApi;
import io.meshcp.client.api.TeamApi;
import io.meshcp.client.api.TenantApi;
import io.meshcp.client.model.ApiKeyView;
import io.meshcp.client.model.AuditEntry;
import io.meshcp.client.model.Heartbeat;
import io.meshcp.client.model.InvitationRequest;
import io.meshcp.client.model.IssuedInvitationResponse;
import io.meshcp.client.model.IssuedKeyResponse;
import io.meshcp.client.model.KeyRequest;
import io.meshcp.client.model.KillSwitchRequest;
import io.meshcp.client.model.LiveEventRequest;
import io.meshcp.client.model.LiveEventView;
import io.meshcp.client.model.MemberView;
import io.meshcp.client.model.PolicyDocument;
import io.meshcp.client.model.PolicyFields;
import io.meshcp.client.model.Problem;
import io.meshcp.client.model.RotateRequest;
import io.meshcp.client.model.StreamRequest;
import io.meshcp.client.model.StreamView;
import io.meshcp.client.model.Summary;
import io.meshcp.client.model.TelemetryBatch;
import io.meshcp.client.model.TenantSettingsChange;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A broadcaster's backend automating an event through a Java client generated from the committed API document
 * (docs/openapi.json, by openapi-generator in the test build) and nothing else: if the document and the API
 * disagreed on a path, a field, a required parameter or a status, this would fail. The second test sets up keys, the
 * team and the settings through it with an ADMIN key.
 */
@IntegrationTest
class GeneratedClientTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void aGeneratedClientCreatesAStreamSetsItsPolicySchedulesAnEventFlipsTheSwitchAndReadsTheNumbers()
            throws ApiException {
        Fixtures.Tenant tenant = fixtures.tenant();
        ApiClient client = client(fixtures.secretKey(tenant.id()).key());
        StreamsApi streams = new StreamsApi(client);
        PoliciesAndKillSwitchesApi policies = new PoliciesAndKillSwitchesApi(client);
        LiveEventsApi liveEvents = new LiveEventsApi(client);

        // A create retried with its Idempotency-Key (its answer was lost, say) gets the same stream back.
        StreamRequest cupFinal = new StreamRequest().externalId("cup-final").name("Cup final")
                .kind(StreamRequest.KindEnum.LIVE);
        String key = UUID.randomUUID().toString();
        StreamView stream = streams.createStream(cupFinal, key);
        assertThat(streams.createStream(cupFinal, key).getId()).isEqualTo(stream.getId());
        assertThat(streams.getStreamByExternalId("cup-final").getId()).isEqualTo(stream.getId());
        assertThat(streams.listStreams(null, null, null, 0, 10).getItems()).hasSize(1);

        // The policy changes only with the version it was based on (If-Match).
        PolicyDocument before = policies.getStreamPolicy(stream.getId());
        PolicyDocument after = policies.replaceStreamPolicy(stream.getId(), before.getEtag(),
                new PolicyFields().latencyBudgetMs(3_000));
        assertThat(after.getVersion()).isEqualTo(before.getVersion() + 1);
        assertThat(after.getEffective().getValues().getLatencyBudgetMs()).isEqualTo(3_000);
        ApiException stale = catchThrowableOfType(ApiException.class, () -> policies.replaceStreamPolicy(
                stream.getId(), before.getEtag(), new PolicyFields().latencyBudgetMs(4_000)));
        assertThat(stale.getCode()).isEqualTo(412);
        Problem problem = problem(stale);
        assertThat(problem.getType()).hasToString("urn:meshcp:problem:precondition-failed");

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        LiveEventView event = liveEvents.scheduleLiveEvent(new LiveEventRequest().streamId(stream.getId())
                .name("Final").startsAt(now.minusMinutes(1)).endsAt(now.plusHours(2))
                .overrides(new PolicyFields().latencyBudgetMs(2_000)), UUID.randomUUID().toString());
        assertThat(event.getState()).isEqualTo(LiveEventView.StateEnum.ACTIVE);
        assertThat(liveEvents.listLiveEvents("active", stream.getId(), 0, 10).getItems())
                .extracting(LiveEventView::getName).containsExactly("Final");
        ApiException invalid = catchThrowableOfType(ApiException.class, () -> liveEvents.scheduleLiveEvent(
                new LiveEventRequest().streamId(stream.getId()).name("").startsAt(now).endsAt(now.minusHours(1))
                        .overrides(new PolicyFields().latencyBudgetMs(1)), null));
        assertThat(invalid.getCode()).isEqualTo(400);
        assertThat(problem(invalid).getErrors()).extracting(error -> error.getField())
                .contains("name", "endsAt", "latencyBudgetMs");

        policies.engageStreamKillSwitch(stream.getId(), new KillSwitchRequest().reason("CDN incident")
                .releaseAt(now.plusHours(1)));
        assertThat(policies.listKillSwitches()).singleElement().satisfies(engaged -> {
            assertThat(engaged.getStreamId()).isEqualTo(stream.getId());
            assertThat(engaged.getReason()).isEqualTo("CDN incident");
            assertThat(engaged.getReleaseAt()).isEqualTo(now.plusHours(1));
        });
        policies.releaseStreamKillSwitch(stream.getId());
        assertThat(policies.listKillSwitches()).isEmpty();

        assertThat(new AuditLogApi(client).listAuditEvents(null, null, null, null, 0, 50).getItems())
                .extracting(AuditEntry::getType).contains("STREAM_CREATED", "POLICY_CHANGED", "LIVE_EVENT_SCHEDULED",
                        "KILL_SWITCH_ENGAGED", "KILL_SWITCH_RELEASED");

        // A player's heartbeats, through the same client and the publishable key, show in the analytics.
        String publishable = fixtures.publishableKey(tenant.id()).key();
        var ingested = new PlayerTelemetryApi(client(null)).ingestTelemetry(new TelemetryBatch().events(List.of(
                heartbeat(now.minusSeconds(30)), heartbeat(now.minusSeconds(20)))), publishable, null);
        assertThat(ingested.getAccepted()).isEqualTo(2);
        Summary summary = new AnalyticsApi(client).getSummary(now.minusHours(1), now.plusMinutes(1), "cup-final",
                null, null, null);
        assertThat(summary.getTotal().getEvents()).isEqualTo(2);
        assertThat(summary.getTotal().getBytesSaved()).isEqualTo(2 * 3_000_000L);
        assertThat(summary.getCurrency()).isEqualTo("USD");
    }

    @Test
    void aGeneratedClientWithAnAdminKeySetsUpKeysTheTeamAndTheSettings() throws ApiException {
        Fixtures.Tenant tenant = fixtures.tenant();
        ApiClient admin = client(fixtures.secretKey(tenant.id(), Role.ADMIN).key());
        ApiKeysApi keys = new ApiKeysApi(admin);
        TeamApi team = new TeamApi(admin);

        IssuedKeyResponse issued = keys.createKey(new KeyRequest().kind(KeyRequest.KindEnum.SECRET).name("BI export")
                .role(KeyRequest.RoleEnum.VIEWER), UUID.randomUUID().toString());
        assertThat(issued.getSecret()).startsWith("mesh_sk_");
        assertThat(issued.getKey().getRole()).isEqualTo(ApiKeyView.RoleEnum.VIEWER);
        assertThat(keys.listKeys()).extracting(ApiKeyView::getName).contains("BI export");
        // The new viewer key reads through the same client and may not manage keys.
        ApiKeysApi asViewer = new ApiKeysApi(client(issued.getSecret()));
        assertThat(asViewer.getKey(issued.getKey().getId()).getName()).isEqualTo("BI export");
        ApiException refused = catchThrowableOfType(ApiException.class, () -> asViewer.revokeKey(
                issued.getKey().getId()));
        assertThat(refused.getCode()).isEqualTo(403);
        IssuedKeyResponse successor = keys.rotateKey(issued.getKey().getId(), null, new RotateRequest().graceHours(0));
        assertThat(successor.getKey().getRole()).isEqualTo(ApiKeyView.RoleEnum.VIEWER);
        assertThat(keys.revokeKey(successor.getKey().getId()).getRevokedAt()).isNotNull();

        IssuedInvitationResponse invitation = team.inviteMember(new InvitationRequest().email("operator@example.com")
                .role(InvitationRequest.RoleEnum.OPS), null);
        assertThat(invitation.getLink().getPath()).startsWith("/invitations/");
        assertThat(team.listInvitations()).singleElement().satisfies(open ->
                assertThat(open.getEmail()).isEqualTo("operator@example.com"));
        team.revokeInvitation(invitation.getInvitation().getId());
        assertThat(team.listInvitations()).isEmpty();
        assertThat(team.listMembers()).singleElement().satisfies(owner ->
                assertThat(owner.getRole()).isEqualTo(MemberView.RoleEnum.OWNER));

        assertThat(new TenantApi(admin).updateTenant(new TenantSettingsChange().currency("EUR")).getCurrency())
                .isEqualTo("EUR");
    }

    private static Heartbeat heartbeat(OffsetDateTime ts) {
        return new Heartbeat().eventId(UUID.randomUUID()).ts(ts).sessionId("generated-client-1")
                .streamId("cup-final").cohort(Heartbeat.CohortEnum.P2P).intervalMs(10_000).cdnBytes(1_000_000L)
                .p2pBytesDown(3_000_000L).p2pBytesUp(0L).playMs(10_000).rebufferMs(0)
                .device(Heartbeat.DeviceEnum.DESKTOP).player("hls.js 1.5");
    }

    private ApiClient client(String secretKey) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        if (secretKey != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + secretKey));
        }
        return client;
    }

    private static Problem problem(ApiException e) {
        try {
            return new JSON().getMapper().readValue(e.getResponseBody(), Problem.class);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException parse) {
            throw new AssertionError("not a problem detail: " + e.getResponseBody(), parse);
        }
    }
}
