package io.meshcp.guard;

import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The auto-guard's settings and actions through the REST API: VIEWER reads, OPS changes (ApiSecurityConfig). */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Auto-guard")
class AutoGuardApiController {

    private final AutoGuard guard;

    AutoGuardApiController(AutoGuard guard) {
        this.guard = guard;
    }

    @GetMapping("/auto-guard")
    @Operation(summary = "The organisation's auto-guard settings, its default for every stream")
    GuardSettings getAutoGuard() {
        return guard.settings(Caller.tenantId(), null).orElse(GuardSettings.DEFAULT);
    }

    @PutMapping("/auto-guard")
    @Operation(summary = "Set the organisation's auto-guard settings", description = "With enabled true, the guard "
            + "watches every stream without settings of its own.")
    GuardSettings replaceAutoGuard(@RequestBody GuardSettings settings, HttpServletRequest http) {
        return guard.replace(Caller.tenantId(), null, settings, Actor.of(Caller.current(), http));
    }

    @GetMapping("/streams/{streamId}/auto-guard")
    @Operation(summary = "A stream's auto-guard settings: its own (null when it follows the organisation's) and "
            + "those in force")
    StreamGuardSettings getStreamAutoGuard(@PathVariable UUID streamId) {
        UUID tenantId = Caller.tenantId();
        return new StreamGuardSettings(guard.settings(tenantId, streamId).orElse(null),
                guard.effective(tenantId, streamId));
    }

    @PutMapping("/streams/{streamId}/auto-guard")
    @Operation(summary = "Set a stream's own auto-guard settings")
    StreamGuardSettings replaceStreamAutoGuard(@PathVariable UUID streamId, @RequestBody GuardSettings settings,
            HttpServletRequest http) {
        UUID tenantId = Caller.tenantId();
        GuardSettings own = guard.replace(tenantId, streamId, settings, Actor.of(Caller.current(), http));
        return new StreamGuardSettings(own, own);
    }

    @DeleteMapping("/streams/{streamId}/auto-guard")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Make a stream follow the organisation's auto-guard settings again")
    void inheritStreamAutoGuard(@PathVariable UUID streamId, HttpServletRequest http) {
        guard.inherit(Caller.tenantId(), streamId, Actor.of(Caller.current(), http));
    }

    @GetMapping("/auto-guard/actions")
    @Operation(summary = "What the auto-guard did, newest first, with its evidence", description = "Its switches "
            + "are the streams' kill switches (autoGuard true in GET /api/v1/kill-switches), released as any other.")
    List<GuardAction> listAutoGuardActions(@RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return guard.actions(Caller.tenantId(), limit);
    }

    /** A stream's own settings (null: it follows the organisation's) and those in force. */
    record StreamGuardSettings(GuardSettings own, GuardSettings effective) {
    }
}
