package io.meshcp.accounts;

import io.meshcp.shared.Actor;
import io.meshcp.shared.ClientAddress;
import io.meshcp.shared.InvalidInputException;
import io.meshcp.shared.Source;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

@Controller
class SignupController {

    private final Accounts accounts;

    SignupController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/signup")
    String form(Model model) {
        model.addAttribute("signup", new SignUp("", "", "", ""));
        return "accounts/signup";
    }

    @PostMapping("/signup")
    String signUp(@ModelAttribute("signup") SignUp signUp, HttpServletRequest request, Model model,
            RedirectAttributes redirect) {
        try {
            accounts.signUp(signUp, new Actor(signUp.email(), Source.DASHBOARD, ClientAddress.truncated(request)));
        }
        catch (InvalidInputException e) {
            model.addAttribute("signup", new SignUp(signUp.organisation(), signUp.displayName(), signUp.email(), ""));
            model.addAttribute("fieldError", e.field());
            model.addAttribute("errorMessage", e.getMessage());
            return "accounts/signup";
        }
        redirect.addFlashAttribute("notice", "Your organisation is ready. Sign in to continue.");
        return "redirect:/login";
    }
}
