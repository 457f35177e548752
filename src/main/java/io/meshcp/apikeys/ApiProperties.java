package io.meshcp.apikeys;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * REST API settings.
 *
 * @param rateLimit how many requests one secret key may send
 */
@Validated
@ConfigurationProperties("meshcp.api")
record ApiProperties(@DefaultValue @Valid RateLimit rateLimit) {

    /**
     * A token bucket per key: {@code requests} at once, refilled evenly over {@code window} (so {@code requests}
     * per {@code window} sustained). With Redis configured it holds for all replicas together, otherwise per node.
     *
     * @param requests the bucket's size; the default, 600 a minute, lets a backend page through a month of audit
     * events or pull every stream's analytics each minute, and stops a runaway loop within a second
     * @param window how long an empty bucket takes to refill
     */
    record RateLimit(@DefaultValue("600") @Min(1) int requests, @DefaultValue("1m") Duration window) {
    }
}
