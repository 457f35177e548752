package io.meshcp.webhooks;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
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

/** Webhook endpoints and their delivery logs through the REST API, for ADMIN keys (ApiSecurityConfig). */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks")
class WebhooksApiController {

    private static final String ISSUED = "`secret` signs the deliveries (docs/webhooks.md); it is shown in this "
            + "answer only.";

    private final Webhooks webhooks;

    WebhooksApiController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping
    @Operation(summary = "List the organisation's webhook endpoints", description = "Never their secrets.")
    List<EndpointView> listWebhooks() {
        return webhooks.list(Caller.tenantId());
    }

    @GetMapping("/event-types")
    @Operation(summary = "The event types an endpoint can subscribe to")
    List<EventTypeView> listWebhookEventTypes() {
        return Arrays.stream(WebhookEventType.values()).filter(WebhookEventType::subscribable)
                .map(type -> new EventTypeView(type.code(), type.description())).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "Created. " + ISSUED, useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new endpoint's URL.",
                    schema = @Schema(type = "string", format = "uri")))
    @Operation(summary = "Create a webhook endpoint", description = "An https URL that resolves to public "
            + "addresses, and the event types it wants.")
    IssuedEndpoint createWebhook(@RequestBody EndpointRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        IssuedEndpoint issued = webhooks.create(Caller.tenantId(), request, Actor.of(Caller.current(), http));
        response.setHeader(HttpHeaders.LOCATION, ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/api/v1/webhooks/{id}").buildAndExpand(issued.endpoint().id()).toUriString());
        // The secret must not outlive this answer: not in caches, nor in the Idempotency-Key store.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return issued;
    }

    @GetMapping("/{id}")
    EndpointView getWebhook(@PathVariable UUID id) {
        return webhooks.get(Caller.tenantId(), id);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change an endpoint's URL, description, event types or state", description = "Enabling "
            + "an endpoint that was disabled after a day of failures starts its deliveries again.")
    EndpointView updateWebhook(@PathVariable UUID id, @RequestBody EndpointRequest request, HttpServletRequest http) {
        return webhooks.update(Caller.tenantId(), id, request, Actor.of(Caller.current(), http));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an endpoint and its delivery log")
    void deleteWebhook(@PathVariable UUID id, HttpServletRequest http) {
        webhooks.delete(Caller.tenantId(), id, Actor.of(Caller.current(), http));
    }

    @PostMapping("/{id}/rotate-secret")
    @ApiResponse(responseCode = "200", description = ISSUED, useReturnTypeSchema = true)
    @Operation(summary = "Rotate an endpoint's signing secret", description = "Deliveries carry a signature with "
            + "the old secret as well for overlapHours (24 when left out, 0 to 168), so the receiver can switch "
            + "without refusing one.")
    IssuedEndpoint rotateWebhookSecret(@PathVariable UUID id, @RequestBody(required = false) SecretRotation request,
            HttpServletRequest http, HttpServletResponse response) {
        int hours = request == null || request.overlapHours() == null ? 24 : request.overlapHours();
        IssuedEndpoint issued = webhooks.rotateSecret(Caller.tenantId(), id, Duration.ofHours(hours),
                Actor.of(Caller.current(), http));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return issued;
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "An endpoint's deliveries, newest first", description = "With before, only those older "
            + "than that delivery id (the last id of a page reads on).")
    List<DeliveryView> listWebhookDeliveries(@PathVariable UUID id, @RequestParam(required = false) @Min(1) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(Webhooks.MAX_DELIVERIES_LISTED) int limit) {
        return webhooks.deliveries(Caller.tenantId(), id, before, limit);
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a delivery's event again", description = "A new delivery with the same event id, "
            + "sent within seconds.")
    DeliveryView redeliverWebhook(@PathVariable UUID id, @PathVariable long deliveryId, HttpServletRequest http) {
        return webhooks.redeliver(Caller.tenantId(), id, deliveryId, Actor.of(Caller.current(), http));
    }

    @PostMapping("/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a test event (type ping) to the endpoint")
    DeliveryView testWebhook(@PathVariable UUID id, HttpServletRequest http) {
        return webhooks.sendTestEvent(Caller.tenantId(), id, Actor.of(Caller.current(), http));
    }

    record EventTypeView(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String code,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String description) {
    }

    /** How long the old secret keeps signing. */
    @Schema(example = """
            {"overlapHours": 24}""")
    record SecretRotation(@Schema(minimum = "0", maximum = "168", description = "24 when left out.")
            Integer overlapHours) {
    }
}
