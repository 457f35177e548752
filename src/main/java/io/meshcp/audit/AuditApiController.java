package io.meshcp.audit;

import java.time.Instant;

import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.paging.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit-events")
@Tag(name = "Audit log")
class AuditApiController {

    private final AuditLog auditLog;

    AuditApiController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GetMapping
    @Operation(summary = "List the tenant's audit events, newest first",
            description = "Filter by time (from inclusive, to exclusive, ISO-8601 instants) and by event type.")
    PageResponse<AuditEntry> listAuditEvents(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) String type,
            @Parameter(description = "nextCursor of the page before: reads on from there, unshifted by events "
                    + "recorded meanwhile (the Link header's rel=next carries it too).")
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "0") @Min(0) @Max(PageResponse.MAX_PAGE) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int size, HttpServletResponse response) {
        return PageResponse.withNext(auditLog.find(Caller.tenantId(), new AuditQuery(from, to, type), cursor, page,
                size), AuditLog::cursor, response);
    }
}
