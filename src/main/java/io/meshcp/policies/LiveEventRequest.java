package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

import io.meshcp.shared.problems.TextLength;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** A live event to schedule or change: its window and the policy fields that apply inside it. */
@Schema(example = """
        {"streamId": "6f1c2a9e-0d4b-4c61-9b8e-3a7f5d2c1b0e", "name": "Cup final", "startsAt": "2026-12-12T19:00:00Z",
         "endsAt": "2026-12-12T22:00:00Z", "overrides": {"latencyBudgetMs": 3000, "maxPeers": {"mobile": 3}}}""")
public record LiveEventRequest(
        @NotNull(message = REQUIRED) UUID streamId,
        // TextLength refuses null too; NotNull is there for the OpenAPI document's required list, and the two
        // refusals of a missing name are one error (InputChecks drops the repeat).
        @Schema(minLength = 1, maxLength = 200) @NotNull(message = NAME_LENGTH) @TextLength(max = 200) String name,
        @NotNull(message = REQUIRED) Instant startsAt,
        @Schema(description = "After startsAt and in the future; at most 7 days after startsAt.")
        @NotNull(message = REQUIRED) Instant endsAt,
        @Schema(description = "The policy fields set during the window: at least one.")
        @NotNull(message = AT_LEAST_ONE_FIELD) PolicyFields overrides) {

    private static final String REQUIRED = "is required";

    private static final String NAME_LENGTH = "must be 1 to 200 characters";

    private static final String AT_LEAST_ONE_FIELD = "must set at least one policy field, e.g. latencyBudgetMs";
}
