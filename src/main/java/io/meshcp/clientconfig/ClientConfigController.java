package io.meshcp.clientconfig;

import java.util.List;

import io.meshcp.apikeys.PlayerKey;
import io.meshcp.player.Cohort;
import io.meshcp.player.P2pReason;
import io.meshcp.policies.EffectivePolicy;
import io.meshcp.policies.PolicyResolver;
import io.meshcp.shared.Tokens;
import io.meshcp.shared.http.PublicHosts;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.MisdirectedRequestException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.signaling.IssuedToken;
import io.meshcp.signaling.SignalingClaims;
import io.meshcp.signaling.SignalingEndpoint;
import io.meshcp.signaling.SignalingTokens;
import io.meshcp.signaling.SwarmSizes;
import io.meshcp.streams.Rendition;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What a player asks before it plays. Everything on this path is served from memory: the key (checked before this
 * runs, by the player chain's {@code PublishableKeyFilter}), the stream ({@code StreamDirectory}) and the policy
 * ({@code PolicyResolver}).
 */
@RestController
@Tag(name = "Player: client-config")
class ClientConfigController {

    private final StreamDirectory streams;

    private final PolicyResolver policies;

    private final SignalingTokens tokens;

    private final SignalingEndpoint signalingEndpoint;

    private final SwarmSizes swarmSizes;

    private final ClientConfigProperties properties;

    private final PublicHosts publicHosts;


    ClientConfigController(StreamDirectory streams, PolicyResolver policies,
            SignalingTokens tokens, SignalingEndpoint signalingEndpoint, SwarmSizes swarmSizes,
            ClientConfigProperties properties, PublicHosts publicHosts) {
        this.signalingEndpoint = signalingEndpoint;
        this.publicHosts = publicHosts;
        this.swarmSizes = swarmSizes;
        this.streams = streams;
        this.policies = policies;
        this.tokens = tokens;
        this.properties = properties;
    }

    @GetMapping("/v1/client-config")
    @SecurityRequirements
    @Parameter(name = "key", in = ParameterIn.QUERY, required = true, description = "A publishable key, mesh_pk_...",
            schema = @Schema(type = "string"))
    @Operation(summary = "Everything a player needs before it plays",
            description = "Authenticated by a publishable key (key=mesh_pk_...); a browser's Origin must be one "
                    + "of the key's allowed origins. See docs/client-config.md.")
    ResponseEntity<ClientConfigResponse> getClientConfig(@AuthenticationPrincipal PlayerKey key,
            @RequestParam(required = false) String stream, @RequestParam(required = false) String rendition,
            @RequestParam(required = false) String device, @RequestParam(required = false) String network,
            @RequestParam(required = false) String battery, @RequestParam(required = false) String charging,
            @RequestParam(required = false) String nat, @RequestParam(required = false) String session,
            HttpServletRequest request, HttpServletResponse response) {
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        requireKnownHost(request);
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null) {
            // The key let this origin in (PublishableKeyFilter).
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        ClientConfigRequest parameters = ClientConfigRequest.parse(stream, rendition, device, network, battery,
                charging, nat, session);
        StreamView found = streams.byExternalId(key.tenantId(), parameters.stream())
                .filter(s -> !s.archived())
                .orElseThrow(() -> new NotFoundException("stream '" + parameters.stream() + "'"));
        if (parameters.rendition() != null && !found.renditions().isEmpty()
                && found.renditions().stream().map(Rendition::id).noneMatch(parameters.rendition()::equals)) {
            throw new InvalidInputException("rendition", "is not one of the stream's renditions");
        }

        EffectivePolicy policy = policies.resolve(key.tenantId(), found.id());
        String sessionId = parameters.session() != null ? parameters.session() : Tokens.random(22);
        Cohort cohort = P2pDecision.cohort(key.tenantId(), sessionId, policy.values().holdoutPercent());
        P2pDecision decision = P2pDecision.decide(found.sensitive(), policy, cohort, parameters.player(),
                swarmSizes.streamPeers(key.tenantId(), found.id()));

        ClientConfigResponse.Signaling signaling = null;
        if (decision.enabled()) {
            IssuedToken token = tokens.issue(new SignalingClaims.Grant(key.tenantId(), found.id(), sessionId,
                    cohort, parameters.player().device(), parameters.player().nat(), policy.version(),
                    key.keyHash(), policy.killSwitchEpoch()));
            signaling = new ClientConfigResponse.Signaling(signalingEndpoint.url(request.getScheme(),
                    request.getServerName()), token.token(), token.expiresAt());
        }
        ClientConfigResponse body = new ClientConfigResponse(
                new ClientConfigResponse.StreamInfo(found.externalId(), found.kind(), parameters.rendition(),
                        found.contentVersion(), found.renditions()),
                sessionId, cohort.code(), policy.version(),
                new ClientConfigResponse.P2p(decision.enabled(), decision.upload(),
                        decision.reasons().stream().map(P2pReason::code).toList(),
                        decision.maxPeers(), policy.values().minSwarmSize(), policy.values().latencyBudgetMs()),
                policy.values(), found.swarmId(), signaling,
                List.of(new ClientConfigResponse.IceServer(properties.stunServers())),
                new ClientConfigResponse.Telemetry(telemetryUrl(), properties.telemetryInterval().toMillis()),
                properties.refreshInterval().toMillis());
        // Short-lived and private: a policy change must reach players within seconds; the ETag makes
        // revalidation cheap.
        return ResponseEntity.ok().cacheControl(CacheControl.noCache().cachePrivate()).body(body);
    }

    /**
     * The tracker and telemetry URLs are built from the request's host when they are not configured: only from a host
     * name listed in {@code meshcp.http.public-hosts}, never from whatever a client wrote in its {@code Host} header.
     */
    private void requireKnownHost(HttpServletRequest request) {
        boolean derived = !signalingEndpoint.configured()
                || properties.telemetryUrl() == null || properties.telemetryUrl().isBlank();
        if (derived && !publicHosts.allows(request.getServerName())) {
            throw new MisdirectedRequestException("This control plane does not answer players under the host name '"
                    + request.getServerName() + "'. Its operator lists the names in meshcp.http.public-hosts, or "
                    + "configures meshcp.signaling.public-url and meshcp.client-config.telemetry-url.");
        }
    }

    private String telemetryUrl() {
        if (properties.telemetryUrl() != null && !properties.telemetryUrl().isBlank()) {
            return properties.telemetryUrl();
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/v1/telemetry").toUriString();
    }
}
