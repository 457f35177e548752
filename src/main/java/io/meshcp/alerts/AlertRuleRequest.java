package io.meshcp.alerts;

import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * An alert rule as its owner sets it.
 *
 * @param streamId the one stream it watches; null: every stream it applies to
 * @param kind what it watches
 * @param threshold a ratio from 0 to 1: the offload below which {@code OFFLOAD_BELOW} holds (0.3: 30%), the
 * margin by which p2p's rebuffer ratio must exceed the holdout's for {@code P2P_REBUFFER_WORSE} (0.01: one point),
 * the share of tracker sockets refused above which {@code SIGNALING_REFUSALS} holds (0.05: 5%); not used by
 * {@code NO_HEARTBEATS}
 * @param forMinutes how long the condition must hold before the alert fires, 1 to 1,440
 * @param enabled false keeps the rule without evaluating it; left out: true
 */
@Schema(example = """
        {"kind": "OFFLOAD_BELOW", "threshold": 0.3, "forMinutes": 10}""")
public record AlertRuleRequest(UUID streamId, @NotNull AlertKind kind,
        @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double threshold,
        @NotNull @Min(1) @Max(1440) Integer forMinutes, Boolean enabled) {
}
