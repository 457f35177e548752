package io.meshcp.telemetry;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Telemetry ingest settings.
 *
 * @param maxBodyBytes the largest request body taken; larger answers 413
 * @param maxEventsPerBatch the most events in one request; more answers 413
 * @param maxEventAge events older than this are rejected (one by one) as too old
 * @param maxClockSkew events further than this in the future are rejected as from the future
 * @param maxQueuedEvents events accepted but not yet committed, across all requests; past it, requests
 * are answered 503 at once instead of waiting
 * @param maxEventsPerCommit the most events a writer commits in one transaction (group commit)
 * @param writers how many writer threads commit groups at once (each with its own connection); two keep
 * PostgreSQL busy while the other prepares its next group
 * @param commitTimeout how long a request waits for its events to be committed before it answers 503
 * @param retryAfter the Retry-After given with 503 when the database is down or the writer is saturated
 * @param requestsPerSecondPerKey the sustained request rate one publishable key may send (bursts of twice
 * that); more answers 429. With Redis configured the rate holds for all replicas together, otherwise per node.
 * One key serves a broadcaster's whole site, and every viewer sends a request per heartbeat (10 s): the default
 * lets an audience of 200,000 through (a 100,000-viewer event with room for its page reloads and beacons); a
 * larger one needs it raised. What it bounds is a key lifted from a page and replayed from elsewhere
 */
@Validated
@ConfigurationProperties("meshcp.telemetry")
record TelemetryProperties(@DefaultValue("1048576") @Min(1024) int maxBodyBytes,
        @DefaultValue("500") @Min(1) @Max(10_000) int maxEventsPerBatch,
        @DefaultValue("48h") Duration maxEventAge, @DefaultValue("5m") Duration maxClockSkew,
        @DefaultValue("50000") @Min(1) int maxQueuedEvents, @DefaultValue("5000") @Min(1) int maxEventsPerCommit,
        @DefaultValue("2") @Min(1) @Max(16) int writers,
        @DefaultValue("10s") Duration commitTimeout, @DefaultValue("2s") Duration retryAfter,
        @DefaultValue("20000") @Min(1) int requestsPerSecondPerKey) {
}
