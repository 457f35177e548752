package io.meshcp.accounts;

import java.math.BigDecimal;
import java.util.List;

/**
 * What an admin can change of the organisation.
 *
 * @param telemetryRetentionDays how long raw telemetry events are kept: 7, 30, 90 or 365 days (the sums
 * behind analytics are kept longer, see docs/telemetry.md)
 */
public record TenantSettings(String name, BigDecimal cdnPricePerGb, List<String> defaultAllowedOrigins,
        int telemetryRetentionDays) {

    public static final List<Integer> RETENTION_CHOICES = List.of(7, 30, 90, 365);
}
