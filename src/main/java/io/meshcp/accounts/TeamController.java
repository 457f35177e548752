package io.meshcp.accounts;

import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@Controller
@DashboardPage
class TeamController {

    private final Accounts accounts;

    TeamController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/team")
    String team(@AuthenticationPrincipal MeshUser user, Model model) {
        model.addAttribute("members", accounts.members(user.tenantId()));
        model.addAttribute("invitations", accounts.openInvitations(user.tenantId()));
        model.addAttribute("allRoles", Role.values());
        return "accounts/team";
    }

    @PostMapping("/team/invitations")
    @PreAuthorize("hasRole('ADMIN')")
    String invite(@AuthenticationPrincipal MeshUser user, @RequestParam String email, @RequestParam Role role,
            HttpServletRequest request, RedirectAttributes redirect) {
        try {
            IssuedInvitation issued = accounts.invite(user.tenantId(), user.userId(), email, role,
                    Actor.of(user, request));
            String link = ServletUriComponentsBuilder.fromContextPath(request)
                    .path("/invitations/{token}").buildAndExpand(issued.token()).toUriString();
            redirect.addFlashAttribute("invitationLink", link);
            redirect.addFlashAttribute("invitedEmail", issued.invitation().email());
        }
        catch (InvalidInputException | ForbiddenChangeException e) {
            redirect.addFlashAttribute("error", "No invitation was made: " + e.getMessage());
            redirect.addFlashAttribute("typedInvitation", new InvitationForm(email, role));
        }
        return "redirect:/team";
    }

    /** The invitation form as it was sent, shown again when it is refused. */
    record InvitationForm(String email, Role role) {
    }

    @PostMapping("/team/invitations/{id}/revoke")
    @PreAuthorize("hasRole('ADMIN')")
    String revokeInvitation(@AuthenticationPrincipal MeshUser user, @PathVariable UUID id,
            HttpServletRequest request, RedirectAttributes redirect) {
        accounts.revokeInvitation(user.tenantId(), id, Actor.of(user, request));
        redirect.addFlashAttribute("notice", "Invitation revoked.");
        return "redirect:/team";
    }

    @PostMapping("/team/members/{userId}/role")
    @PreAuthorize("hasRole('ADMIN')")
    String changeRole(@AuthenticationPrincipal MeshUser user, @PathVariable UUID userId, @RequestParam Role role,
            HttpServletRequest request, RedirectAttributes redirect) {
        try {
            accounts.changeRole(user.tenantId(), user.userId(), userId, role, Actor.of(user, request));
            redirect.addFlashAttribute("notice", "Role changed.");
        }
        catch (InvalidInputException | ForbiddenChangeException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/team";
    }

    @PostMapping("/team/members/{userId}/remove")
    String remove(@AuthenticationPrincipal MeshUser user, @PathVariable UUID userId, HttpServletRequest request,
            RedirectAttributes redirect) {
        try {
            accounts.removeMember(user.tenantId(), user.userId(), userId, Actor.of(user, request));
            redirect.addFlashAttribute("notice", "Member removed.");
        }
        catch (ForbiddenChangeException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/team";
    }
}
