package io.meshcp.policies;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Policies and kill switches")
class PoliciesApiController {

    private final Policies policies;

    PoliciesApiController(Policies policies) {
        this.policies = policies;
    }

    @GetMapping("/policy")
    @Operation(summary = "The tenant default policy", description = "policy: what the tenant default sets; "
            + "effective: every field's value and level. The ETag is needed to replace it.")
    ResponseEntity<PolicyDocument> getTenantPolicy() {
        return withEtag(policies.tenantPolicy(Caller.tenantId()));
    }

    @PutMapping("/policy")
    @Operation(summary = "Replace the tenant default policy", description = "Fields left out inherit the platform "
            + "default. Needs If-Match with the ETag read before: 412 if someone saved since, 428 without it. "
            + "The same document again makes no version: 200 with the current document and ETag.")
    ResponseEntity<PolicyDocument> replaceTenantPolicy(@RequestBody PolicyFields fields,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest http) {
        return withEtag(policies.replaceTenantPolicy(Caller.tenantId(), fields, ifMatch, actor(http)));
    }

    @GetMapping("/policy/versions")
    @Operation(summary = "Versions of the tenant default policy, newest first, with diffs")
    List<PolicyVersionView> listTenantPolicyVersions() {
        return policies.history(Caller.tenantId(), null);
    }

    @PostMapping("/policy/versions/{version}/restore")
    @Operation(summary = "Restore an earlier tenant default (as a new version); needs If-Match")
    ResponseEntity<PolicyDocument> restoreTenantPolicy(@PathVariable int version,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest http) {
        return withEtag(policies.restore(Caller.tenantId(), null, version, ifMatch, actor(http)));
    }

    @GetMapping("/streams/{streamId}/policy")
    @Operation(summary = "A stream's override and its effective policy with provenance")
    ResponseEntity<PolicyDocument> getStreamPolicy(@PathVariable UUID streamId) {
        return withEtag(policies.streamPolicy(Caller.tenantId(), streamId));
    }

    @PutMapping("/streams/{streamId}/policy")
    @Operation(summary = "Replace a stream's override", description = "Fields left out inherit the tenant "
            + "default. Needs If-Match. The same override again makes no version.")
    ResponseEntity<PolicyDocument> replaceStreamPolicy(@PathVariable UUID streamId, @RequestBody PolicyFields fields,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest http) {
        return withEtag(policies.replaceStreamPolicy(Caller.tenantId(), streamId, fields, ifMatch, actor(http)));
    }

    @GetMapping("/streams/{streamId}/policy/versions")
    @Operation(summary = "Versions of a stream's override, newest first, with diffs")
    List<PolicyVersionView> listStreamPolicyVersions(@PathVariable UUID streamId) {
        return policies.history(Caller.tenantId(), streamId);
    }

    @PostMapping("/streams/{streamId}/policy/versions/{version}/restore")
    @Operation(summary = "Restore an earlier stream override (as a new version); needs If-Match")
    ResponseEntity<PolicyDocument> restoreStreamPolicy(@PathVariable UUID streamId, @PathVariable int version,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, HttpServletRequest http) {
        return withEtag(policies.restore(Caller.tenantId(), streamId, version, ifMatch, actor(http)));
    }

    @GetMapping("/kill-switches")
    @Operation(summary = "Engaged kill switches (streamId null: the whole tenant)")
    List<KillSwitchView> listKillSwitches() {
        return policies.killSwitches(Caller.tenantId());
    }

    @PutMapping("/kill-switch")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Turn p2p off for the whole tenant at once", description = "Optionally with a reason and "
            + "a time (at most 7 days ahead) at which the switch releases itself. Engaging a switch that is on "
            + "changes nothing.")
    void engageTenantKillSwitch(@RequestBody(required = false) KillSwitchRequest request, HttpServletRequest http) {
        KillSwitchRequest engage = request == null ? KillSwitchRequest.NONE : request;
        policies.engageKillSwitch(Caller.tenantId(), null, engage.reason(), engage.releaseAt(), actor(http));
    }

    @DeleteMapping("/kill-switch")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Release the tenant-wide kill switch")
    void releaseTenantKillSwitch(HttpServletRequest http) {
        policies.releaseKillSwitch(Caller.tenantId(), null, actor(http));
    }

    @PutMapping("/streams/{streamId}/kill-switch")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Turn p2p off for one stream at once", description = "Optionally with a reason and a "
            + "time (at most 7 days ahead) at which the switch releases itself. Engaging a switch that is on changes "
            + "nothing.")
    void engageStreamKillSwitch(@PathVariable UUID streamId,
            @RequestBody(required = false) KillSwitchRequest request, HttpServletRequest http) {
        KillSwitchRequest engage = request == null ? KillSwitchRequest.NONE : request;
        policies.engageKillSwitch(Caller.tenantId(), streamId, engage.reason(), engage.releaseAt(), actor(http));
    }

    @DeleteMapping("/streams/{streamId}/kill-switch")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Release a stream's kill switch")
    void releaseStreamKillSwitch(@PathVariable UUID streamId, HttpServletRequest http) {
        policies.releaseKillSwitch(Caller.tenantId(), streamId, actor(http));
    }

    private static Actor actor(HttpServletRequest http) {
        return Actor.of(Caller.current(), http);
    }

    private static ResponseEntity<PolicyDocument> withEtag(PolicyDocument document) {
        return ResponseEntity.ok().eTag(document.etag()).body(document);
    }

    /** {@code releaseAt}: when the switch releases itself; left out, it stays on until it is released. */
    @Schema(example = """
            {"reason": "Origin overload, incident INC-4711", "releaseAt": "2026-12-12T21:00:00Z"}""")
    record KillSwitchRequest(String reason, Instant releaseAt) {

        static final KillSwitchRequest NONE = new KillSwitchRequest(null, null);
    }
}
