package io.meshcp.streams;

import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.paging.PageResponse;
import io.meshcp.shared.problems.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/streams")
@Tag(name = "Streams")
class StreamsApiController {

    private final Streams streams;

    StreamsApiController(Streams streams) {
        this.streams = streams;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "Created; Location is its address.", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new stream's URL.",
                    schema = @Schema(type = "string", format = "uri")))
    @Operation(summary = "Create a stream", description = "externalId is your own id, unique in your organisation.")
    StreamView createStream(@RequestBody StreamRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        StreamView created = streams.create(Caller.tenantId(), request, Actor.of(Caller.current(), http));
        response.setHeader(HttpHeaders.LOCATION, ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.id()).toUriString());
        return created;
    }

    @GetMapping
    @Operation(summary = "List streams by name", description = "q matches name or external id. "
            + "archived=true lists the archived ones instead.")
    PageResponse<StreamView> listStreams(@RequestParam(required = false) String q,
            @RequestParam(defaultValue = "false") boolean archived,
            @Parameter(description = "nextCursor of the page before: reads on from there, unshifted by streams "
                    + "added meanwhile (the Link header's rel=next carries it too).")
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size, HttpServletResponse response) {
        return PageResponse.withNext(streams.list(Caller.tenantId(), q, archived, cursor, page, size),
                Streams::cursor, response);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a stream by our id")
    StreamView getStream(@PathVariable UUID id) {
        return streams.get(Caller.tenantId(), id);
    }

    @GetMapping("/by-external-id/{externalId}")
    @Operation(summary = "Get a stream by your external id")
    StreamView getStreamByExternalId(@PathVariable String externalId) {
        return streams.findByExternalId(Caller.tenantId(), externalId)
                .orElseThrow(() -> new NotFoundException("stream"));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace a stream's description")
    StreamView updateStream(@PathVariable UUID id, @RequestBody StreamRequest request, HttpServletRequest http) {
        return streams.update(Caller.tenantId(), id, request, Actor.of(Caller.current(), http));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Archive a stream", description = "Players get 404 for it; its data and history stay.")
    StreamView archiveStream(@PathVariable UUID id, HttpServletRequest http) {
        return streams.archive(Caller.tenantId(), id, true, Actor.of(Caller.current(), http));
    }

    @PostMapping("/{id}/content-version")
    @Operation(summary = "Raise the stream's content version", description = "For when the content behind the "
            + "stream's id changes (a re-encode, a new programme on a channel id): its players join new swarms, so "
            + "none is served a segment of the old content by a peer.")
    StreamView raiseContentVersion(@PathVariable UUID id, HttpServletRequest http) {
        return streams.newContentVersion(Caller.tenantId(), id, Actor.of(Caller.current(), http));
    }

    @PostMapping("/{id}/restore")
    @Operation(summary = "Bring an archived stream back")
    StreamView restoreStream(@PathVariable UUID id, HttpServletRequest http) {
        return streams.archive(Caller.tenantId(), id, false, Actor.of(Caller.current(), http));
    }
}
