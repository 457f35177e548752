package io.meshcp.policies;

import java.util.Locale;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.paging.PageResponse;
import io.meshcp.shared.problems.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
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
@RequestMapping("/api/v1/live-events")
@Tag(name = "Live events")
class LiveEventsApiController {

    private final LiveEvents liveEvents;

    LiveEventsApiController(LiveEvents liveEvents) {
        this.liveEvents = liveEvents;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "Created; Location is its address.", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new live event's URL.",
                    schema = @Schema(type = "string", format = "uri")))
    @Operation(summary = "Schedule a live event", description = "Times are ISO-8601 instants (UTC). overrides "
            + "apply to the stream only inside [startsAt, endsAt). Overlapping events on a stream answer 409.")
    LiveEventView scheduleLiveEvent(@RequestBody LiveEventRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        LiveEventView created = liveEvents.create(Caller.tenantId(), request, Actor.of(Caller.current(), http));
        response.setHeader(HttpHeaders.LOCATION, ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.id()).toUriString());
        return created;
    }

    @GetMapping
    @Operation(summary = "List live events by state (upcoming, active, past) and optionally by stream")
    PageResponse<LiveEventView> listLiveEvents(@RequestParam(defaultValue = "upcoming") String state,
            @RequestParam(required = false) UUID streamId, @RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size) {
        return PageResponse.of(liveEvents.list(Caller.tenantId(), parse(state), streamId, page, size));
    }

    @GetMapping("/{id}")
    LiveEventView getLiveEvent(@PathVariable UUID id) {
        return liveEvents.get(Caller.tenantId(), id);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a live event's stream, name, window or overrides")
    LiveEventView updateLiveEvent(@PathVariable UUID id, @RequestBody LiveEventRequest request, HttpServletRequest http) {
        return liveEvents.update(Caller.tenantId(), id, request, Actor.of(Caller.current(), http));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel a live event; its overrides stop applying at once")
    LiveEventView cancelLiveEvent(@PathVariable UUID id, HttpServletRequest http) {
        return liveEvents.cancel(Caller.tenantId(), id, Actor.of(Caller.current(), http));
    }

    private static LiveEventState parse(String state) {
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "upcoming" -> LiveEventState.UPCOMING;
            case "active" -> LiveEventState.ACTIVE;
            case "past" -> LiveEventState.PAST;
            default -> throw new InvalidInputException("state", "must be upcoming, active or past");
        };
    }
}
