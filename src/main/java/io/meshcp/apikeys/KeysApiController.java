package io.meshcp.apikeys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Role;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.problems.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * API keys through the REST API, for ADMIN keys (ApiSecurityConfig): the same rules and audit as the dashboard's keys
 * page. A new key's secret is in the one answer that creates it, marked {@code Cache-Control: no-store}, and kept
 * nowhere else.
 */
@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "API keys")
class KeysApiController {

    private static final String ISSUED = "Created; `secret` is the key itself, shown this once and stored only as a "
            + "hash. Location is the key's address.";

    private final ApiKeys apiKeys;

    KeysApiController(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @GetMapping
    @Operation(summary = "List the organisation's keys", description = "Never the keys themselves: their first "
            + "characters, role, origins, use and state. Newest first.")
    List<ApiKeyView> listKeys() {
        return apiKeys.list(Caller.tenantId());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a key by id")
    ApiKeyView getKey(@PathVariable UUID id) {
        return apiKeys.get(Caller.tenantId(), id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = ISSUED, useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new key's URL.",
                    schema = @Schema(type = "string", format = "uri")))
    @Operation(summary = "Create a key", description = "A secret key has a role (VIEWER, OPS or ADMIN; OPS when "
            + "left out), never above the calling key's; a publishable key has allowed origins instead.")
    IssuedKeyResponse createKey(@RequestBody KeyRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        ApiKeyPrincipal caller = (ApiKeyPrincipal) Caller.current();
        IssuedKey issued = apiKeys.create(caller.tenantId(), new NewKey(request.kind(), request.name(),
                request.allowedOrigins() == null ? List.of() : request.allowedOrigins(), request.expiresAt(),
                request.role()),
                Actor.of(caller, http), caller.role());
        return issued(issued, response);
    }

    @PostMapping("/{id}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = ISSUED, useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The successor's URL.",
                    schema = @Schema(type = "string", format = "uri")))
    @Operation(summary = "Rotate a key", description = "Issues a successor with the same kind, name, role and "
            + "origins; the old key keeps working for graceHours (0 stops it at once, at most 720), then expires.")
    IssuedKeyResponse rotateKey(@PathVariable UUID id, @RequestBody(required = false) RotateRequest request,
            HttpServletRequest http, HttpServletResponse response) {
        int graceHours = request == null || request.graceHours() == null ? 24 : request.graceHours();
        if (graceHours < 0 || graceHours > ApiKeys.MAX_ROTATION_GRACE.toHours()) {
            throw new InvalidInputException("graceHours", "must be between 0 and 720 hours");
        }
        IssuedKey issued = apiKeys.rotate(Caller.tenantId(), id, Duration.ofHours(graceHours),
                Actor.of(Caller.current(), http));
        return issued(issued, response);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key", description = "Requests with it fail within seconds on every node. "
            + "Revoking a revoked key changes nothing.")
    ApiKeyView revokeKey(@PathVariable UUID id, HttpServletRequest http) {
        return apiKeys.revoke(Caller.tenantId(), id, Actor.of(Caller.current(), http));
    }

    private static IssuedKeyResponse issued(IssuedKey issued, HttpServletResponse response) {
        response.setHeader(HttpHeaders.LOCATION, ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/api/v1/keys/{id}").buildAndExpand(issued.view().id()).toUriString());
        // The secret must not outlive this answer: not in caches, nor in the Idempotency-Key store.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return new IssuedKeyResponse(issued.key(), issued.view());
    }

    /** A key to create. */
    @Schema(example = """
            {"kind": "SECRET", "name": "BI export", "role": "VIEWER"}""")
    record KeyRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) KeyKind kind,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, maxLength = 100) String name,
            @Schema(allowableValues = {"ADMIN", "OPS", "VIEWER"}, description = "Secret keys only; OPS when left "
                    + "out. At most the calling key's role.") Role role,
            @Schema(description = "Publishable keys only: the web origins players may use it from, such as "
                    + "https://www.example.com.") List<String> allowedOrigins,
            @Schema(description = "When the key stops working; never when left out.") Instant expiresAt) {
    }

    /** How long the old key keeps working. */
    @Schema(example = """
            {"graceHours": 24}""")
    record RotateRequest(@Schema(minimum = "0", maximum = "720", description = "24 when left out.")
            Integer graceHours) {
    }

    /** A new key: {@code secret} is the only time the whole key is given. */
    record IssuedKeyResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String secret,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ApiKeyView key) {
    }
}
