package io.meshcp.shared.problems;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/**
 * The request was not served and may be sent again after {@code retryAfter}: 429 when the caller is
 * over its rate, 503 when the service cannot take it now. Answered with a Retry-After header.
 */
public class RetryLaterException extends RuntimeException {

    private final boolean overRate;

    private final Duration retryAfter;

    private RetryLaterException(boolean overRate, Duration retryAfter, String message) {
        super(message);
        this.overRate = overRate;
        this.retryAfter = retryAfter;
    }

    /** 429: this caller sent more than its rate allows. */
    public static RetryLaterException tooManyRequests(Duration retryAfter, String message) {
        return new RetryLaterException(true, retryAfter, message);
    }

    /** 503: the service cannot take the request now (saturated, or a dependency is down). */
    public static RetryLaterException unavailable(Duration retryAfter, String message) {
        return new RetryLaterException(false, retryAfter, message);
    }

    public boolean overRate() {
        return overRate;
    }

    /** 429 or 503. */
    public HttpStatus status() {
        return overRate ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE;
    }

    /** The Retry-After header's whole seconds, at least one. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
