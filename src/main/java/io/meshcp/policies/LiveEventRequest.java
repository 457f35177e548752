package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** A live event to schedule or change: its window and the policy fields that apply inside it. */
public record LiveEventRequest(
        @Schema(requiredMode = RequiredMode.REQUIRED) UUID streamId,
        @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 200) String name,
        @Schema(requiredMode = RequiredMode.REQUIRED) Instant startsAt,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "After startsAt and in the future; at most 7 "
                + "days after startsAt.") Instant endsAt,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "The policy fields set during the window: at "
                + "least one.") PolicyFields overrides) {
}
