package io.meshcp.clientconfig;

import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A constant answer on the player path: lets a player check that the control plane is reachable, and
 * is the baseline client-config is measured against (docs/benchmarks.md).
 */
@RestController
@Tag(name = "Player: client-config")
class PingController {

    private static final Map<String, String> OK = Map.of("status", "ok");

    @GetMapping("/v1/ping")
    @SecurityRequirements
    @Operation(summary = "Reachability check for players; always {\"status\":\"ok\"}")
    Map<String, String> ping() {
        return OK;
    }
}
