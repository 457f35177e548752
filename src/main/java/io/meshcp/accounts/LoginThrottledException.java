package io.meshcp.accounts;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** A login attempt refused before the password was even checked, because of {@link LoginThrottle}. */
class LoginThrottledException extends AuthenticationException {

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super("Too many failed attempts; retry in " + wholeSeconds(retryAfter) + "s");
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** The wait in whole seconds, rounded up and at least one: "try again in 0 seconds" would only invite a retry. */
    long retryAfterSeconds() {
        return wholeSeconds(retryAfter);
    }

    private static long wholeSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
