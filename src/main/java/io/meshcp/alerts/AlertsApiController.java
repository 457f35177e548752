package io.meshcp.alerts;

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

/** Alert rules, alerts and their history through the REST API: VIEWER reads, OPS changes (ApiSecurityConfig). */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Alerts")
class AlertsApiController {

    private final Alerts alerts;

    AlertsApiController(Alerts alerts) {
        this.alerts = alerts;
    }

    @GetMapping("/alert-rules")
    @Operation(summary = "List the organisation's alert rules")
    List<AlertRule> listAlertRules() {
        return alerts.rules(Caller.tenantId());
    }

    @PostMapping("/alert-rules")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "Created; Location is its address.", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new rule's URL.",
                    schema = @Schema(type = "string", format = "uri")))
    @Operation(summary = "Create an alert rule", description = "OFFLOAD_BELOW and NO_HEARTBEATS watch streams while "
            + "one of their live events is on; P2P_REBUFFER_WORSE watches streams with heartbeats.")
    AlertRule createAlertRule(@RequestBody AlertRuleRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        AlertRule created = alerts.create(Caller.tenantId(), request, Actor.of(Caller.current(), http));
        response.setHeader(HttpHeaders.LOCATION, ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/api/v1/alert-rules/{id}").buildAndExpand(created.id()).toUriString());
        return created;
    }

    @GetMapping("/alert-rules/{id}")
    AlertRule getAlertRule(@PathVariable UUID id) {
        return alerts.rule(Caller.tenantId(), id);
    }

    @PutMapping("/alert-rules/{id}")
    @Operation(summary = "Change an alert rule", description = "Its alerts start afresh.")
    AlertRule updateAlertRule(@PathVariable UUID id, @RequestBody AlertRuleRequest request, HttpServletRequest http) {
        return alerts.update(Caller.tenantId(), id, request, Actor.of(Caller.current(), http));
    }

    @DeleteMapping("/alert-rules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an alert rule and its alerts (its history stays)")
    void deleteAlertRule(@PathVariable UUID id, HttpServletRequest http) {
        alerts.delete(Caller.tenantId(), id, Actor.of(Caller.current(), http));
    }

    @GetMapping("/alerts")
    @Operation(summary = "Pending and firing alerts, firing first")
    List<Alert> listAlerts() {
        return alerts.alerts(Caller.tenantId());
    }

    @GetMapping("/alerts/history")
    @Operation(summary = "Alerts that fired and resolved, newest first")
    List<AlertTransition> listAlertHistory(@RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return alerts.history(Caller.tenantId(), limit);
    }
}
