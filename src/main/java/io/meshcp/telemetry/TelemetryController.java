package io.meshcp.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.meshcp.apikeys.PlayerKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Heartbeats from players: the HTTP side of {@link TelemetryIngest}. The body is read here, not by a message
 * converter, so that its size is capped while reading and {@code text/plain} (what {@code navigator.sendBeacon}
 * sends without a preflight) is taken like JSON. A 200 means every accepted event is committed.
 */
@RestController
@Tag(name = "Player: telemetry")
class TelemetryController {

    static final String PATH = "/v1/telemetry";

    private static final List<MediaType> ACCEPTED = List.of(MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN);

    private final TelemetryIngest ingest;

    private final JsonMapper json;

    TelemetryController(TelemetryIngest ingest, JsonMapper json) {
        this.ingest = ingest;
        this.json = json;
    }

    // Its CORS rules, refusals included, are the player chain's (apikeys' PlayerSecurityConfig), which checks the key.
    @PostMapping(PATH)
    @SecurityRequirements
    @Parameter(name = "key", in = ParameterIn.QUERY, description = "A publishable key, mesh_pk_..., unless it is "
            + "sent in the X-Mesh-Key header", schema = @Schema(type = "string"))
    @Parameter(name = PlayerKey.HEADER, in = ParameterIn.HEADER, description = "A publishable key, "
            + "instead of the key parameter", schema = @Schema(type = "string"))
    @Operation(summary = "A batch of playback heartbeats",
            description = "Authenticated by a publishable key (key=mesh_pk_... or the X-Mesh-Key header). Body: "
                    + "{\"batchId\", \"sdk\", \"events\": [...]} as application/json or text/plain, at most 1 MiB "
                    + "and 500 events. Each event is checked on its own; see docs/telemetry.md.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
        @Content(mediaType = "application/json", schema = @Schema(implementation = TelemetryBatchSchema.class)),
        @Content(mediaType = "text/plain", schema = @Schema(implementation = TelemetryBatchSchema.class))})
    IngestResult ingestTelemetry(@AuthenticationPrincipal PlayerKey key, HttpServletRequest request)
            throws IOException, HttpMediaTypeNotSupportedException {
        return ingest.ingest(key, () -> {
            checkContentType(request);
            return parse(request);
        });
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
}
