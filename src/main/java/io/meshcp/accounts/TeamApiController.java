package io.meshcp.accounts;

import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.problems.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The team through the REST API, for ADMIN keys (ApiSecurityConfig), with the team page's rules and audit: a key is
 * never an owner, so it neither makes owners nor changes or removes them, and the last owner stays.
 */
@RestController
@Tag(name = "Team")
class TeamApiController {

    private final Accounts accounts;

    TeamApiController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/api/v1/members")
    @Operation(summary = "List the organisation's members", description = "Oldest member first.")
    List<MemberView> listMembers() {
        return accounts.members(Caller.tenantId());
    }

    @PutMapping("/api/v1/members/{userId}/role")
    @Operation(summary = "Change a member's role", description = "Owners cannot be changed, nor anyone made "
            + "owner, through the API: that takes an owner in the dashboard.")
    MemberView changeMemberRole(@PathVariable UUID userId, @RequestBody RoleChange change, HttpServletRequest http) {
        UUID tenantId = Caller.tenantId();
        accounts.changeRole(tenantId, callerRole(), userId, change.role(), Actor.of(Caller.current(), http));
        return accounts.members(tenantId).stream().filter(member -> member.userId().equals(userId)).findFirst()
                .orElseThrow(() -> new NotFoundException("member"));
    }

    @DeleteMapping("/api/v1/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a member", description = "Their account goes with the membership; they are signed "
            + "out at their next request.")
    void removeMember(@PathVariable UUID userId, HttpServletRequest http) {
        accounts.removeMember(Caller.tenantId(), callerRole(), userId, Actor.of(Caller.current(), http));
    }

    @GetMapping("/api/v1/invitations")
    @Operation(summary = "List open invitations", description = "Neither accepted, revoked nor expired.")
    List<InvitationView> listInvitations() {
        return accounts.openInvitations(Caller.tenantId());
    }

    @PostMapping("/api/v1/invitations")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "Created; `link` is the one-time invitation link to hand to "
            + "the person, shown this once and stored only as a hash. Location is the invitation's address.",
            useReturnTypeSchema = true, headers = @Header(name = "Location", description = "The invitation's URL.",
                    schema = @Schema(type = "string", format = "uri")))
    @Operation(summary = "Invite someone", description = "The link is valid for 7 days; the person chooses "
            + "their name and password when they open it.")
    IssuedInvitationResponse inviteMember(@RequestBody InvitationRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        IssuedInvitation issued = accounts.invite(Caller.tenantId(), callerRole(), request.email(), request.role(),
                Actor.of(Caller.current(), http));
        response.setHeader(HttpHeaders.LOCATION, ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(issued.invitation().id()).toUriString());
        // The link lets anyone join: not in caches, nor in the Idempotency-Key store.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        String link = ServletUriComponentsBuilder.fromContextPath(http).path("/invitations/{token}")
                .buildAndExpand(issued.token()).toUriString();
        return new IssuedInvitationResponse(link, issued.invitation());
    }

    @DeleteMapping("/api/v1/invitations/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an open invitation", description = "Its link stops working at once.")
    void revokeInvitation(@PathVariable UUID id, HttpServletRequest http) {
        accounts.revokeInvitation(Caller.tenantId(), id, Actor.of(Caller.current(), http));
    }

    private static Role callerRole() {
        return Role.highestOf(SecurityContextHolder.getContext().getAuthentication().getAuthorities());
    }

    /** A member's new role. */
    @Schema(example = """
            {"role": "OPS"}""")
    record RoleChange(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"ADMIN", "OPS", "VIEWER"}) Role role) {
    }

    /** Whom to invite, as what. */
    @Schema(example = """
            {"email": "new.operator@example.com", "role": "OPS"}""")
    record InvitationRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "email", maxLength = 254) String email,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"ADMIN", "OPS", "VIEWER"})
            Role role) {
    }

    /** A new invitation and its one-time link. */
    record IssuedInvitationResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uri") String link,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) InvitationView invitation) {
    }
}
