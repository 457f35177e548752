package io.meshcp.webhooks;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook settings.
 *
 * @param pollInterval how often each node looks for deliveries that are due
 * @param firstRetry the pause after a delivery's first failure; each further failure doubles it
 * @param maxRetryInterval the longest pause between two attempts
 * @param retryFor how long after an event its delivery is tried before it is given up
 * @param disableAfter how long an endpoint's deliveries may fail without one success before it is disabled
 * @param connectTimeout how long a connection to a receiver may take
 * @param timeout how long a whole delivery (redirects included) may take
 * @param concurrency how many deliveries one node sends at once
 * @param keepFor how long events and their deliveries stay in the delivery log
 * @param maxEndpoints the most endpoints one organisation may have
 * @param sendDeliveries whether this node sends deliveries (every node does by default; one that does not still
 * writes the events of the changes it makes, for the others to send)
 * @param allowedPrivateAddresses addresses outside the public internet that webhooks may reach anyway
 * ({@code 10.1.2.3} or {@code 10.1.2.3:8080}, IPv6 in brackets); empty in production, where a receiver inside the
 * control plane's own network is what the check is there to refuse
 */
@Validated
@ConfigurationProperties("meshcp.webhooks")
record WebhooksProperties(@DefaultValue("1s") Duration pollInterval, @DefaultValue("10s") Duration firstRetry,
        @DefaultValue("1h") Duration maxRetryInterval, @DefaultValue("24h") Duration retryFor,
        @DefaultValue("24h") Duration disableAfter, @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration timeout, @DefaultValue("16") @Min(1) @Max(256) int concurrency,
        @DefaultValue("30d") Duration keepFor, @DefaultValue("20") @Min(1) int maxEndpoints,
        @DefaultValue("true") boolean sendDeliveries, @DefaultValue List<String> allowedPrivateAddresses) {

    /** How long a node's claim on a delivery it sends lasts: past it, another node may send it again. */
    Duration claim() {
        return timeout.multipliedBy(2).plusSeconds(30);
    }
}
