package io.meshcp.telemetry;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshcp.apikeys.PlayerKey;
import io.meshcp.shared.limits.RateLimiter;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.PayloadTooLargeException;
import io.meshcp.shared.problems.RetryLaterException;
import io.meshcp.streams.SwarmRenditions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import tools.jackson.databind.JsonNode;

/**
 * Takes a batch of heartbeats, in the order the steps cost: the key's request rate (the publishable key and its
 * origin were checked by the player chain's {@code PublishableKeyFilter}), then the body (its type, size and JSON, read by the caller only now), the batch's shape, each event on its
 * own, and the store. Answers once every accepted event is committed.
 */
@Service
class TelemetryIngest {

    private final RateLimiter rateLimiter;

    private final HeartbeatParser parser;

    private final TelemetryWriter writer;

    private final SwarmRenditions swarmRenditions;

    private final TelemetryProperties properties;

    private final Counter rateLimited;

    private final Counter rejectedEvents;

    TelemetryIngest(RateLimiter rateLimiter, HeartbeatParser parser, TelemetryWriter writer,
            SwarmRenditions swarmRenditions, TelemetryProperties properties, MeterRegistry meters) {
        this.rateLimiter = rateLimiter;
        this.parser = parser;
        this.writer = writer;
        this.swarmRenditions = swarmRenditions;
        this.properties = properties;
        this.rateLimited = meters.counter("meshcp.telemetry.refusals", "reason", "rate_limited");
        this.rejectedEvents = meters.counter("meshcp.telemetry.events.rejected");
    }

    /** The body of a request, read once the key and its rate have been let through. */
    interface Body {
        JsonNode read() throws IOException, HttpMediaTypeNotSupportedException;
    }

    /** @param key the publishable key the player was authenticated with */
    IngestResult ingest(PlayerKey key, Body body) throws IOException, HttpMediaTypeNotSupportedException {
        Duration wait = rateLimiter.take("telemetry:" + key.keyId(),
                properties.requestsPerSecondPerKey());
        if (!wait.isZero()) {
            rateLimited.increment();
            throw RetryLaterException.tooManyRequests(wait, "This key sends more telemetry requests per second "
                    + "than allowed (" + properties.requestsPerSecondPerKey() + "); batch more events per request.");
        }
        JsonNode batch = body.read();
        JsonNode events = batch.get("events");
        if (events == null || !events.isArray()) {
            throw new InvalidInputException("events", "is required, an array of heartbeat events");
        }
        if (events.size() > properties.maxEventsPerBatch()) {
            throw new PayloadTooLargeException("At most " + properties.maxEventsPerBatch() + " events per batch; "
                    + "this one has " + events.size() + ". Nothing was stored.");
        }
        HeartbeatParser.Parsed parsed = parser.parse(key.tenantId(), events, batch.get("sdk"));
        rejectedEvents.increment(parsed.rejected().size());
        if (parsed.heartbeats().isEmpty()) {
            return new IngestResult(0, 0, parsed.rejected());
        }
        int accepted = await(writer.submit(key.tenantId(), parsed.heartbeats()));
        for (Heartbeat heartbeat : parsed.heartbeats()) {
            if (heartbeat.infoHash() != null && !heartbeat.rendition().isEmpty()) {
                swarmRenditions.learn(key.tenantId(), heartbeat.streamId(), heartbeat.infoHash(),
                        heartbeat.rendition());
            }
        }
        return new IngestResult(accepted, parsed.heartbeats().size() - accepted, parsed.rejected());
    }

    private int await(CompletableFuture<Integer> committed) {
        try {
            return committed.get(writer.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RetryLaterException retry) {
                throw retry;
            }
            throw new IllegalStateException(e.getCause());
        }
        catch (TimeoutException e) {
            // It may still be committed; a resent batch is deduplicated, so resending is always safe.
            throw RetryLaterException.unavailable(Duration.ofSeconds(1), "Telemetry storage is slow to answer; "
                    + "send the batch again.");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RetryLaterException.unavailable(Duration.ofSeconds(1), "Interrupted; send the batch again.");
        }
    }
}
