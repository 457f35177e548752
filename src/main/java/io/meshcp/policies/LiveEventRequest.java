package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.Schema;

/** A live event to schedule or change: its window and the policy fields that apply inside it. */
@Schema(example = """
        {"streamId": "6f1c2a9e-0d4b-4c61-9b8e-3a7f5d2c1b0e", "name": "Cup final", "startsAt": "2026-12-12T19:00:00Z",
         "endsAt": "2026-12-12T22:00:00Z", "overrides": {"latencyBudgetMs": 3000, "maxPeers": {"mobile": 3}}}""")
public record LiveEventRequest(
        @Schema(requiredMode = RequiredMode.REQUIRED) UUID streamId,
        @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 200) String name,
        @Schema(requiredMode = RequiredMode.REQUIRED) Instant startsAt,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "After startsAt and in the future; at most 7 "
                + "days after startsAt.") Instant endsAt,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "The policy fields set during the window: at "
                + "least one.") PolicyFields overrides) {
}
