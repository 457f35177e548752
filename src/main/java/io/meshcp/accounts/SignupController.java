package io.meshcp.accounts;

import java.time.Duration;

import io.meshcp.shared.Actor;
import io.meshcp.shared.ClientAddress;
import io.meshcp.shared.InvalidInputException;
import io.meshcp.shared.RateLimiter;
import io.meshcp.shared.Source;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Sign-up, throttled per client network ({@link AccountsProperties}); its answer is the same whether or not the
 * address already had an account, so the page cannot be used to find out who has one.
 */
@Controller
class SignupController {

    static final String DONE = "Sign in to continue. If this address already had an account, no new organisation "
            + "was made: sign in with that account.";

    private final Accounts accounts;

    private final RateLimiter rateLimiter;

    private final AccountsProperties properties;

    SignupController(Accounts accounts, RateLimiter rateLimiter, AccountsProperties properties) {
        this.accounts = accounts;
        this.rateLimiter = rateLimiter;
        this.properties = properties;
    }

    @GetMapping("/signup")
    String form(Model model) {
        model.addAttribute("signup", new SignUp("", "", "", ""));
        return "accounts/signup";
    }

    @PostMapping("/signup")
    String signUp(@ModelAttribute("signup") SignUp signUp, HttpServletRequest request, HttpServletResponse response,
            Model model, RedirectAttributes redirect) {
        String network = ClientAddress.truncated(request);
        Duration wait = rateLimiter.take("sign-ups:" + network, properties.signUpsPerNetwork(),
                properties.signUpWindow());
        if (wait.isPositive()) {
            long minutes = Math.max(1, wait.plusSeconds(59).toMinutes());
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds() + 1)));
            return refused(signUp, model, null, "Too many sign-ups from your network. Try again in " + minutes
                    + (minutes == 1 ? " minute." : " minutes."));
        }
        try {
            accounts.signUp(signUp, new Actor(signUp.email(), Source.DASHBOARD, network));
        }
        catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return refused(signUp, model, e.field(), e.getMessage());
        }
        catch (AddressInUseException e) {
            // Answered as a sign-up that worked: see the class comment.
        }
        redirect.addFlashAttribute("notice", DONE);
        return "redirect:/login";
    }

    /** The form again with what was typed (but the password) and why it was refused. */
    private static String refused(SignUp signUp, Model model, String field, String message) {
        model.addAttribute("signup", new SignUp(signUp.organisation(), signUp.displayName(), signUp.email(), ""));
        model.addAttribute("fieldError", field);
        model.addAttribute("errorMessage", message);
        return "accounts/signup";
    }
}
