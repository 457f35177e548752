package io.meshcp.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.VerifiedKey;
import io.meshcp.shared.InvalidInputException;
import io.meshcp.shared.Origins;
import io.meshcp.shared.PayloadTooLargeException;
import io.meshcp.shared.RateLimiter;
import io.meshcp.shared.RetryLaterException;
import io.meshcp.streams.SwarmRenditions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Heartbeats from players. The body is read here, not by a message converter, so that its size is
 * capped while reading and {@code text/plain} (what {@code navigator.sendBeacon} sends without a
 * preflight) is taken like JSON. A 200 means every accepted event is committed.
 */
@RestController
@Tag(name = "Player: telemetry")
class TelemetryController {

    static final String PATH = "/v1/telemetry";


    private static final List<MediaType> ACCEPTED = List.of(MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN);

    private final ApiKeys apiKeys;

    private final RateLimiter rateLimiter;

    private final HeartbeatParser parser;

    private final TelemetryWriter writer;

    private final SwarmRenditions swarmRenditions;

    private final TelemetryProperties properties;

    private final JsonMapper json;

    private final Counter rateLimited;

    private final Counter rejectedEvents;

    TelemetryController(ApiKeys apiKeys, RateLimiter rateLimiter, HeartbeatParser parser, TelemetryWriter writer,
            SwarmRenditions swarmRenditions, TelemetryProperties properties, JsonMapper json, MeterRegistry meters) {
        this.apiKeys = apiKeys;
        this.swarmRenditions = swarmRenditions;
        this.rateLimiter = rateLimiter;
        this.parser = parser;
        this.writer = writer;
        this.properties = properties;
        this.json = json;
        this.rateLimited = meters.counter("meshcp.telemetry.refusals", "reason", "rate_limited");
        this.rejectedEvents = meters.counter("meshcp.telemetry.events.rejected");
    }

    // Any origin may ask (the preflight carries no key); the key's own origins are enforced on the POST.
    // Retry-After is exposed so that a player's fetch() can read when to resend after a 429 or 503.
    @CrossOrigin(originPatterns = "*", methods = RequestMethod.POST, allowedHeaders = {"Content-Type", "X-Mesh-Key"},
            exposedHeaders = HttpHeaders.RETRY_AFTER, maxAge = 600)
    @PostMapping(PATH)
    @SecurityRequirements
    @Operation(summary = "A batch of playback heartbeats",
            description = "Authenticated by a publishable key (key=mesh_pk_... or the X-Mesh-Key header). Body: "
                    + "{\"batchId\", \"sdk\", \"events\": [...]} as application/json or text/plain, at most 1 MiB "
                    + "and 500 events. Each event is checked on its own; see docs/telemetry.md.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
        @Content(mediaType = "application/json", schema = @Schema(implementation = TelemetryBatchSchema.class)),
        @Content(mediaType = "text/plain", schema = @Schema(implementation = TelemetryBatchSchema.class))})
    IngestResult ingestTelemetry(@RequestParam(required = false) String key,
            @RequestHeader(name = "X-Mesh-Key", required = false) String headerKey, HttpServletRequest request)
            throws IOException, HttpMediaTypeNotSupportedException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        VerifiedKey verified = apiKeys.verifyPlayer(key != null ? key : headerKey, Origins.isOwn(origin,
                request.getScheme(), request.getServerName(), request.getServerPort()) ? null : origin);
        Duration wait = rateLimiter.take("telemetry:" + verified.keyId(),
                properties.requestsPerSecondPerKey());
        if (!wait.isZero()) {
            rateLimited.increment();
            throw RetryLaterException.tooManyRequests(wait, "This key sends more telemetry requests per second "
                    + "than allowed (" + properties.requestsPerSecondPerKey() + "); batch more events per request.");
        }
        checkContentType(request);
        JsonNode body = parse(request);
        JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            throw new InvalidInputException("events", "is required, an array of heartbeat events");
        }
        if (events.size() > properties.maxEventsPerBatch()) {
            throw new PayloadTooLargeException("At most " + properties.maxEventsPerBatch() + " events per batch; "
                    + "this one has " + events.size() + ". Nothing was stored.");
        }
        HeartbeatParser.Parsed parsed = parser.parse(verified.tenantId(), events, body.get("sdk"));
        rejectedEvents.increment(parsed.rejected().size());
        if (parsed.heartbeats().isEmpty()) {
            return new IngestResult(0, 0, parsed.rejected());
        }
        int accepted = await(writer.submit(verified.tenantId(), parsed.heartbeats()));
        for (Heartbeat heartbeat : parsed.heartbeats()) {
            if (heartbeat.infoHash() != null && !heartbeat.rendition().isEmpty()) {
                swarmRenditions.learn(verified.tenantId(), heartbeat.streamId(), heartbeat.infoHash(),
                        heartbeat.rendition());
            }
        }
        return new IngestResult(accepted, parsed.heartbeats().size() - accepted, parsed.rejected());
    }

    private static void checkContentType(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        String contentType = request.getContentType();
        MediaType type = contentType == null ? null : MediaType.parseMediaType(contentType);
        if (type == null || ACCEPTED.stream().noneMatch(accepted -> accepted.includes(type))) {
            throw new HttpMediaTypeNotSupportedException(type, ACCEPTED);
        }
    }

    /** The body is bounded before it gets here: {@link TelemetryConfiguration} declares its limit to the filter. */
    private JsonNode parse(HttpServletRequest request) throws IOException {
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readAllBytes();
        }
        try {
            JsonNode body = json.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new HttpMessageNotReadableException("The body must be a JSON object.",
                        new ServletServerHttpRequest(request));
            }
            return body;
        }
        catch (JacksonException e) {
            throw new HttpMessageNotReadableException("The body is not valid JSON.", e,
                    new ServletServerHttpRequest(request));
        }
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
