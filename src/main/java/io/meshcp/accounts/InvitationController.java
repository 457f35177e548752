package io.meshcp.accounts;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.ClientAddress;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.Source;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The page behind an invitation link: the invitee picks a name and password and joins. */
@Controller
@DashboardPage
class InvitationController {

    private final Accounts accounts;

    InvitationController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/invitations/{token}")
    String show(@PathVariable String token, Model model, HttpServletResponse response) {
        return accounts.pendingInvitation(token).map(invitation -> {
            model.addAttribute("invitation", invitation);
            model.addAttribute("token", token);
            return "accounts/invitation";
        }).orElseGet(() -> {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return "accounts/invitation-invalid";
        });
    }

    @PostMapping("/invitations/{token}")
    String accept(@PathVariable String token, @RequestParam String displayName, @RequestParam String password,
            HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        var pending = accounts.pendingInvitation(token);
        if (pending.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            return "accounts/invitation-invalid";
        }
        try {
            accounts.acceptInvitation(token, displayName,
                    password, new Actor(pending.get().email(), Source.DASHBOARD, ClientAddress.truncated(request)));
        }
        catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("invitation", pending.get());
            model.addAttribute("token", token);
            model.addAttribute("displayName", displayName);
            model.addAttribute("fieldError", e.field());
            model.addAttribute("errorMessage", e.getMessage());
            return "accounts/invitation";
        }
        redirect.addFlashAttribute("notice", "Welcome to " + pending.get().organisation() + ". Sign in to continue.");
        return "redirect:/login";
    }
}
