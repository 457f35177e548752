package io.meshcp.accounts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant as other modules and the API see it. {@code cdnPricePerGb} is in {@code currency} (ISO 4217), the currency
 * money saved is shown and returned in.
 */
public record TenantView(UUID id, String name, BigDecimal cdnPricePerGb, String currency,
        List<String> defaultAllowedOrigins,
        int telemetryRetentionDays, Instant createdAt) {
}
