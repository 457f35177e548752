package io.meshcp.accounts;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** A login attempt refused before the password was even checked, because of {@link LoginThrottle}. */
class LoginThrottledException extends AuthenticationException {

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super("Too many failed attempts; retry in " + retryAfter.toSeconds() + "s");
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
