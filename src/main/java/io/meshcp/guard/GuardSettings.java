package io.meshcp.guard;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The auto-guard's settings for an organisation (its default for every stream) or one stream.
 *
 * @param enabled whether the guard watches (opt-in)
 * @param margin how much higher the p2p cohort's rebuffer ratio must be than the holdout's, at 95% confidence, for
 * the guard to act: 0.01 is one percentage point (2% of watch time stalled against 1%)
 * @param windowMinutes the sliding window of heartbeats compared, 5 to 1,440 minutes
 * @param minSessions the sessions each cohort needs in the window before the guard may act, at least 30
 * @param releaseAfterMinutes when the guard's switch releases itself; null: a person releases it
 */
@Schema(example = """
        {"enabled": true, "margin": 0.01, "windowMinutes": 30, "minSessions": 100, "releaseAfterMinutes": null}""")
public record GuardSettings(@NotNull Boolean enabled,
        @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double margin,
        @NotNull @Min(5) @Max(1440) Integer windowMinutes,
        @NotNull @Min(30) @Max(1_000_000) Integer minSessions,
        @Min(5) @Max(10_080) Integer releaseAfterMinutes) {

    /** What an organisation that never set anything has: off, with the values it gets when it turns the guard on. */
    public static final GuardSettings DEFAULT = new GuardSettings(false, 0.01, 30, 100, null);
}
