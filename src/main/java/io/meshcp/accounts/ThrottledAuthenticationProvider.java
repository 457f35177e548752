package io.meshcp.accounts;

import java.time.Duration;
import java.util.Optional;

import io.meshcp.shared.caller.ClientAddress;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Password login behind {@link LoginThrottle}: a throttled attempt is refused without checking the password. */
class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final DaoAuthenticationProvider passwords;

    private final LoginThrottle throttle;

    ThrottledAuthenticationProvider(DaoAuthenticationProvider passwords, LoginThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = authentication.getName();
        String network = network(authentication);
        Optional<Duration> wait = throttle.waitBefore(email, network);
        if (wait.isPresent()) {
            throw new LoginThrottledException(wait.get());
        }
        try {
            Authentication result = passwords.authenticate(authentication);
            throttle.succeeded(email, network);
            return result;
        }
        catch (BadCredentialsException e) {
            throttle.failed(email, network);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    // Throttling by /24 (or /48) network makes hopping between neighbouring addresses pointless.
    private static String network(Authentication authentication) {
        if (authentication.getDetails() instanceof WebAuthenticationDetails details) {
            String truncated = ClientAddress.truncate(details.getRemoteAddress());
            if (truncated != null) {
                return truncated;
            }
        }
        return "unknown";
    }
}
