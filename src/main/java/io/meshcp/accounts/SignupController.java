package io.meshcp.accounts;

import java.time.Duration;
import java.util.List;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.ClientAddress;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.Source;
import io.meshcp.shared.limits.RateLimiter;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Sign-up, throttled per client network ({@link AccountsProperties}). The new owner is signed in at once and lands on
 * the integration page. An address that already has an account creates nothing and is sent to the login page: that
 * tells whoever tries whether an address has an account, at the throttled rate (see docs/security.md), and the
 * account's organisation finds the attempt in its audit log.
 */
@Controller
@DashboardPage
class SignupController {

    static final String ADDRESS_IN_USE = "This address already has an account, so no new organisation was made: "
            + "sign in with that account.";

    static final String WELCOME = "Your organisation is ready. Paste the snippet below into your player page; this "
            + "page shows when the first heartbeat arrives.";

    private final Accounts accounts;

    private final RateLimiter rateLimiter;

    private final AccountsProperties properties;

    private final UserDetailsService users;

    private final SecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

    SignupController(Accounts accounts, RateLimiter rateLimiter, AccountsProperties properties,
            UserDetailsService users) {
        this.accounts = accounts;
        this.rateLimiter = rateLimiter;
        this.properties = properties;
        this.users = users;
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
            return refused(signUp, model, List.of(), "Too many sign-ups from your network. Try again in " + minutes
                    + (minutes == 1 ? " minute." : " minutes."));
        }
        try {
            accounts.signUp(signUp, new Actor(signUp.email(), Source.DASHBOARD, network));
        }
        catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return refused(signUp, model, e.errors().stream().map(FieldError::field).toList(), e.describe());
        }
        catch (AddressInUseException e) {
            redirect.addFlashAttribute("notice", ADDRESS_IN_USE);
            return "redirect:/login";
        }
        signIn(signUp.email().strip(), request, response);
        redirect.addFlashAttribute("notice", WELCOME);
        return "redirect:/integration";
    }

    /** Signs the new owner in as the login form would: a new session id, the security context kept in it. */
    private void signIn(String email, HttpServletRequest request, HttpServletResponse response) {
        UserDetails user = users.loadUserByUsername(email);
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
                user.getAuthorities()));
        holder.setContext(context);
        sessions.saveContext(context, request, response);
    }

    /** The form again with what was typed (but the password) and why it was refused. */
    private static String refused(SignUp signUp, Model model, List<String> invalidFields, String message) {
        model.addAttribute("signup", new SignUp(signUp.organisation(), signUp.displayName(), signUp.email(), ""));
        model.addAttribute("invalidFields", invalidFields);
        model.addAttribute("errorMessage", message);
        return "accounts/signup";
    }
}
